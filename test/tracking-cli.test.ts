// `gyre experiments ...` and `gyre runs ...` through the real commander program, on services
// built by the composition root over a test database (SQLite and PostgreSQL).
import { expect, it } from 'vitest';
import { runCliOn } from '../src/cli/test-cli.js';
import { describeEachGyre } from '../src/test-gyre.js';
import type { TrackingService } from '../src/tracking/index.js';

describeEachGyre('gyre experiments and runs', (ctx) => {
  const gyre = (...args: string[]) => runCliOn(ctx.gyre, ...args);

  async function seed(t: TrackingService) {
    const e = await t.experiments.create({ name: 'housing' });
    const a = await t.runs.create({
      experimentId: e.experimentId,
      runName: 'gbdt',
      startTime: 1000,
    });
    const b = await t.runs.create({
      experimentId: e.experimentId,
      runName: 'linear',
      startTime: 2000,
    });
    await t.runs.logBatch(a.info.runId, {
      params: [
        { key: 'model', value: 'gbdt' },
        { key: 'depth', value: '6' },
      ],
      metrics: [{ key: 'rmse', value: 0.45, timestamp: 1, step: 0 }],
    });
    await t.runs.logBatch(b.info.runId, {
      params: [{ key: 'model', value: 'linear' }],
      metrics: [
        { key: 'rmse', value: 0.71, timestamp: 1, step: 0 },
        { key: 'r2', value: NaN, timestamp: 1, step: 0 },
      ],
    });
    await t.runs.update(a.info.runId, { status: 'FINISHED', endTime: 4000 });
    return { experimentId: e.experimentId, a: a.info.runId, b: b.info.runId };
  }

  it('creates and lists experiments', async () => {
    const created = await gyre('experiments', 'create', 'churn', '--tag', 'team=growth');
    expect(created).toMatchObject({ code: 0, stdout: '1\n' });
    const listed = await gyre('experiments', 'list');
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+STAGE\s+CREATED\s+ARTIFACT LOCATION$/,
    );
    expect(listed.stdout).toMatch(/1\s+churn\s+active/);
    const json = JSON.parse(
      (await gyre('experiments', 'list', '--filter', "tags.team = 'growth'", '--json')).stdout,
    );
    expect(json.items.map((e: { name: string }) => e.name)).toEqual(['churn']);
    const dup = await gyre('experiments', 'create', 'churn');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^gyre: Experiment 'churn' already exists/);
  });

  it('lists, shows and compares runs', async () => {
    const t = ctx.gyre.tracking;
    const { experimentId, a, b } = await seed(t);
    const listed = await gyre('runs', 'list', '-e', experimentId);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^RUN ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+EXPERIMENT$/,
    );
    expect(listed.stdout.split('\n')[1]).toContain(b);
    expect(listed.stdout).toMatch(new RegExp(`${a}\\s+gbdt\\s+FINISHED\\s+\\S+\\s+3.0s`));
    const filtered = JSON.parse(
      (await gyre('runs', 'list', '-e', experimentId, '--filter', 'metrics.rmse < 0.5', '--json'))
        .stdout,
    );
    expect(filtered.items.map((r: { info: { runId: string } }) => r.info.runId)).toEqual([a]);
    const shown = await gyre('runs', 'show', b);
    expect(shown.stdout).toMatch(/name:\s+linear/);
    expect(shown.stdout).toMatch(/r2\s+NaN/);
    const shownJson = JSON.parse((await gyre('runs', 'show', b, '--json')).stdout);
    expect(shownJson.metrics).toContainEqual({ key: 'r2', value: 'NaN', timestamp: 1, step: 0 });
    const compared = await gyre('runs', 'compare', a, b);
    const lines = compared.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+gbdt\s+linear$/);
    expect(compared.stdout).toMatch(/params\.depth\s+6\s*\n/);
    expect(compared.stdout).toMatch(/params\.model\s+gbdt\s+linear/);
    expect(compared.stdout).toMatch(/metrics\.rmse\s+0\.45\s+0\.71/);
    const json = JSON.parse((await gyre('runs', 'compare', a, b, '--json')).stdout);
    expect(json.rows).toContainEqual({ key: 'metrics.rmse', values: ['0.45', '0.71'] });
    const missing = await gyre('runs', 'show', 'f'.repeat(32));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  });
});
