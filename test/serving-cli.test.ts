// Serving as a user runs it, through the built CLI: `gyre deploy` / `gyre deployments`,
// `gyre serve models:/…` (one process) and `gyre serve --workers 2` (a cluster with metrics
// summed over workers), and `gyre up` answering inference. After SIGTERM the prediction log
// holds every request id that got a 200.
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliOn } from '../src/cli/test-cli.js';
import {
  HOUSING_COLUMNS,
  housingRows,
  registerModel,
  trainHousingGbdt,
} from '../src/serving/test-models.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';
import { startGyre, type ServingGyre } from './fixtures/gyre-process.js';

const rows = housingRows().rows;

/** Request ids in the prediction log under `root`, with the versions that answered them. */
async function loggedRequests(root: string): Promise<Map<string, string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `select request_id, model_version from read_parquet('${join(root, 'prediction-logs')}/**/*.parquet', hive_partitioning = true, union_by_name = true) where role <> 'shadow'`,
    );
    return new Map(
      reader.getRowObjectsJS().map((r) => [String(r.request_id), String(r.model_version)]),
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Sends `count` requests from `concurrency` clients; the request ids of the 200s. */
async function drive(url: string, count: number, concurrency: number, path = '/invocations') {
  const ok: string[] = [];
  const failed: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `req-${i}` },
        body: JSON.stringify({
          dataframe_split: { columns: HOUSING_COLUMNS, data: [rows[i % rows.length]] },
        }),
      });
      await res.arrayBuffer();
      if (res.status === 200) ok.push(res.headers.get('x-request-id')!);
      else failed.push(res.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { ok, failed };
}

describe('serving from the CLI', () => {
  let t: TestGyre;
  let env: Record<string, string>;
  let serving: ServingGyre | undefined;

  beforeAll(async () => {
    t = await createTestGyre('sqlite');
    const model = trainHousingGbdt({ rounds: 20 });
    await registerModel(t.gyre, 'housing', model);
    await registerModel(t.gyre, 'housing', model);
    await t.gyre.registry.setAlias('housing', 'champion', 1);
    env = { GYRE_HOME: t.home, GYRE_DATABASE_URL: t.url, GYRE_PREDICTION_LOG_FLUSH_MS: '600000' };
  });
  afterAll(async () => {
    await serving?.stop('SIGKILL');
    await t.close();
  });

  it('deploys and shows deployments: routes, pinned versions, history with who and why', async () => {
    const deploy = await runCliOn(
      t.gyre,
      'deploy',
      'housing',
      '--model',
      'housing@champion',
      '--reason',
      'first',
    );
    expect(deploy.stderr).toBe('');
    expect(deploy.stdout).toMatch(
      /housing: revision 1 \(single\)\n {2}primary +models:\/housing@champion → housing\/1 \(100%\)/,
    );
    const canary = await runCliOn(
      t.gyre,
      'deploy',
      'housing',
      '--model',
      'housing/2',
      '--canary',
      '10',
    );
    expect(canary.stdout).toMatch(/candidate +models:\/housing\/2 → housing\/2 \(10%\)/);
    expect(
      (await runCliOn(t.gyre, 'deploy', 'housing', '--model', 'housing/2', '--ab', '50')).stderr,
    ).toMatch(/--ab needs --key-header or --key-field/);
    expect((await runCliOn(t.gyre, 'deployments', 'list')).stdout).toMatch(
      /housing +2 +canary +primary:housing\/1@90 candidate:housing\/2@10/,
    );
    expect(
      (await runCliOn(t.gyre, 'deployments', 'rollback', 'housing', '--reason', 'not yet')).stdout,
    ).toMatch(/revision 3 \(rollback, single\)/);
    const history = (await runCliOn(t.gyre, 'deployments', 'history', 'housing')).stdout;
    expect(history.split('\n')[1]).toMatch(/^3 .* rollback +single +1@100 +not yet/);
    expect(history).toMatch(/\n1 .* deploy +single +1@100 +first/);
    const shown = await runCliOn(t.gyre, 'deployments', 'show', 'housing', '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: 'housing', current: { revision: 3 } });
    expect((await runCliOn(t.gyre, 'deployments', 'promote', 'housing')).stderr).toMatch(
      /nothing|no canary/,
    );
  });

  it('serves one model URI like `mlflow models serve`, and logs every answered request', async () => {
    serving = await startGyre(
      ['serve', 'models:/housing@champion', '--port', '0', '--workers', '1'],
      { cwd: t.home, env },
    );
    const { ok, failed } = await drive(serving.url, 300, 8);
    expect(failed).toEqual([]);
    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    expect(metrics).toMatch(
      /gyre_inference_requests_total\{deployment="housing",model_version="1",role="primary"\} 300/,
    );
    expect(await serving.stop('SIGTERM')).toBe(0);
    serving = undefined;
    const logged = await loggedRequests(join(t.home, 'artifacts'));
    expect(ok.filter((id) => !logged.has(id))).toEqual([]);
    expect(logged.size).toBe(300);
  });

  // The next two serve the deployment the first test left behind.
  it('runs worker processes that share the port and sum their metrics', async () => {
    serving = await startGyre(['serve', '--port', '0', '--workers', '2'], { cwd: t.home, env });
    const { ok, failed } = await drive(serving.url, 400, 16);
    expect(failed).toEqual([]);
    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    const total = [
      ...metrics.matchAll(/^gyre_inference_requests_total\{deployment="housing"[^}]*\} (\d+)/gm),
    ]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0);
    expect(total).toBe(400);
    expect(await serving.stop('SIGTERM')).toBe(0);
    serving = undefined;
    const logged = await loggedRequests(join(t.home, 'artifacts'));
    expect(ok.filter((id) => !logged.has(id))).toEqual([]);
  });

  it('answers inference on the API port of `gyre up`', async () => {
    serving = await startGyre(['up', '--port', '0'], { cwd: t.home, env });
    const ready = await fetch(`${serving.url}/v2/models/housing/ready`);
    expect(await ready.json()).toEqual({ name: 'housing', ready: true });
    const { failed } = await drive(serving.url, 20, 2, '/deployments/housing/invocations');
    expect(failed).toEqual([]);
    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    expect(metrics).toMatch(/gyre_http_request_duration_seconds/);
    expect(metrics).toMatch(/gyre_inference_requests_total\{deployment="housing"/);
    expect(await serving.stop('SIGTERM')).toBe(0);
    serving = undefined;
  });
});
