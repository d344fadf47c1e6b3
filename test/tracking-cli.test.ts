// `gyre experiments ...` and `gyre runs ...` through the real commander program, on services
// opened over a test database (SQLite and PostgreSQL) as the composition root would open them.
import { expect, it } from 'vitest';
import type { ArtifactStore } from '../src/artifacts/index.js';
import type { CliContext, OpenedGyre } from '../src/cli/context.js';
import { runCli } from '../src/cli/index.js';
import type { GyreConfig } from '../src/config/index.js';
import { describeEachDatabase } from '../src/db/test-database.js';
import type { DataServices } from '../src/data/index.js';
import type { RegistryService } from '../src/registry/index.js';
import { createTrackingService, type TrackingService } from '../src/tracking/index.js';

describeEachDatabase('gyre experiments and runs', (ctx) => {
  async function gyre(tracking: TrackingService, ...args: string[]) {
    let stdout = '';
    let stderr = '';
    const opened = {
      config: {} as GyreConfig,
      db: ctx.db,
      artifacts: {} as ArtifactStore,
      tracking,
      registry: {} as RegistryService,
      data: {} as DataServices,
      close: async () => {},
    } satisfies OpenedGyre;
    const cli: CliContext = {
      version: '0.0.0-test',
      loadConfig: () => ({}) as GyreConfig,
      open: async () => opened,
      serve: async () => {},
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    };
    const code = await runCli(['node', 'gyre', ...args], cli);
    return { code, stdout, stderr };
  }

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
    const t = createTrackingService(ctx.db);
    const created = await gyre(t, 'experiments', 'create', 'churn', '--tag', 'team=growth');
    expect(created).toMatchObject({ code: 0, stdout: '1\n' });
    const listed = await gyre(t, 'experiments', 'list');
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+STAGE\s+CREATED\s+ARTIFACT LOCATION$/,
    );
    expect(listed.stdout).toMatch(/1\s+churn\s+active/);
    const json = JSON.parse(
      (await gyre(t, 'experiments', 'list', '--filter', "tags.team = 'growth'", '--json')).stdout,
    );
    expect(json.items.map((e: { name: string }) => e.name)).toEqual(['churn']);
    const dup = await gyre(t, 'experiments', 'create', 'churn');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^gyre: Experiment 'churn' already exists/);
  });

  it('lists, shows and compares runs', async () => {
    const t = createTrackingService(ctx.db);
    const { experimentId, a, b } = await seed(t);
    const listed = await gyre(t, 'runs', 'list', '-e', experimentId);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^RUN ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+EXPERIMENT$/,
    );
    expect(listed.stdout.split('\n')[1]).toContain(b);
    expect(listed.stdout).toMatch(new RegExp(`${a}\\s+gbdt\\s+FINISHED\\s+\\S+\\s+3.0s`));
    const filtered = JSON.parse(
      (
        await gyre(
          t,
          'runs',
          'list',
          '-e',
          experimentId,
          '--filter',
          'metrics.rmse < 0.5',
          '--json',
        )
      ).stdout,
    );
    expect(filtered.items.map((r: { info: { runId: string } }) => r.info.runId)).toEqual([a]);
    const shown = await gyre(t, 'runs', 'show', b);
    expect(shown.stdout).toMatch(/name:\s+linear/);
    expect(shown.stdout).toMatch(/r2\s+NaN/);
    const shownJson = JSON.parse((await gyre(t, 'runs', 'show', b, '--json')).stdout);
    expect(shownJson.metrics).toContainEqual({ key: 'r2', value: 'NaN', timestamp: 1, step: 0 });
    const compared = await gyre(t, 'runs', 'compare', a, b);
    const lines = compared.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+gbdt\s+linear$/);
    expect(compared.stdout).toMatch(/params\.depth\s+6\s*\n/);
    expect(compared.stdout).toMatch(/params\.model\s+gbdt\s+linear/);
    expect(compared.stdout).toMatch(/metrics\.rmse\s+0\.45\s+0\.71/);
    const json = JSON.parse((await gyre(t, 'runs', 'compare', a, b, '--json')).stdout);
    expect(json.rows).toContainEqual({ key: 'metrics.rmse', values: ['0.45', '0.71'] });
    const missing = await gyre(t, 'runs', 'show', 'f'.repeat(32));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  });
});
