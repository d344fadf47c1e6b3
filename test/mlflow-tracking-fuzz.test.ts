// Bad input never gets a 5xx: every MLflow tracking endpoint is fed ill-typed and hostile
// arguments (seeded, so a failure replays) and must answer 2xx or a 4xx with an MLflow error body.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../src/db/test-database.js';
import { buildApp } from '../src/server/index.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';

const POST_ENDPOINTS = [
  'experiments/create',
  'experiments/search',
  'experiments/update',
  'experiments/delete',
  'experiments/restore',
  'experiments/set-experiment-tag',
  'experiments/delete-experiment-tag',
  'runs/create',
  'runs/update',
  'runs/delete',
  'runs/restore',
  'runs/search',
  'runs/log-metric',
  'runs/log-parameter',
  'runs/set-tag',
  'runs/delete-tag',
  'runs/log-batch',
  'runs/log-inputs',
  'runs/log-model',
];
const GET_ENDPOINTS = [
  'experiments/get',
  'experiments/get-by-name',
  'experiments/search',
  'experiments/list',
  'runs/get',
  'runs/search',
  'metrics/get-history',
  'artifacts/list',
];
const FIELDS = [
  'name',
  'experiment_id',
  'experiment_ids',
  'run_id',
  'run_uuid',
  'key',
  'value',
  'timestamp',
  'step',
  'metrics',
  'params',
  'tags',
  'datasets',
  'filter',
  'order_by',
  'max_results',
  'page_token',
  'view_type',
  'run_view_type',
  'status',
  'end_time',
  'start_time',
  'new_name',
  'metric_key',
  'path',
  'model_json',
  'artifact_location',
  'run_name',
  'experiment_name',
];

/** A small deterministic generator (mulberry32), so failures replay. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(TEST_DIALECTS)('MLflow tracking endpoints under hostile input [%s]', (dialect) => {
  let test: TestGyre;
  let app: FastifyInstance;
  let runId: string;

  beforeAll(async () => {
    test = await createTestGyre(dialect);
    app = await buildApp(test.gyre, { version: '0.0.0-test' });
    runId = (await test.gyre.tracking.runs.create({})).info.runId;
  });
  afterAll(async () => {
    await app.close();
    await test.close();
  });

  it('answers every request with 2xx or a 4xx MLflow error, never a 5xx', async () => {
    const next = random(20261123);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const scalar = (): unknown =>
      pick([
        () => runId,
        () => '0',
        () => -1,
        () => 1e308,
        () => 'NaN',
        () => '../../etc/passwd',
        () => "x' OR 1=1 --",
        () => 'metrics.a > 1 OR 1=1',
        () => '',
        () => null,
        () => true,
        () => 'é'.repeat(300),
        () => 12.5,
        () => '9'.repeat(30),
        () => 'RUNNING',
        () => 'ALL',
      ])();
    const value = (depth: number): unknown => {
      const r = next();
      if (depth > 2 || r < 0.6) return scalar();
      if (r < 0.8) return Array.from({ length: Math.floor(next() * 3) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: 1 + Math.floor(next() * 3) }, () => [pick(FIELDS), value(depth + 1)]),
      );
    };
    const failures: string[] = [];
    for (let i = 0; i < 400; i += 1) {
      const args = Object.fromEntries(
        Array.from({ length: Math.floor(next() * 5) }, () => [pick(FIELDS), value(0)]),
      );
      const asGet = next() < 0.35;
      const endpoint = asGet ? pick(GET_ENDPOINTS) : pick(POST_ENDPOINTS);
      const res = asGet
        ? await app.inject({
            method: 'GET',
            url: `/api/2.0/mlflow/${endpoint}`,
            query: Object.fromEntries(
              Object.entries(args).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : JSON.stringify(v),
              ]),
            ),
          })
        : await app.inject({ method: 'POST', url: `/api/2.0/mlflow/${endpoint}`, payload: args });
      if (res.statusCode >= 500) failures.push(`${endpoint} ${JSON.stringify(args)} → ${res.body}`);
      else if (res.statusCode >= 400) expect(res.json()).toHaveProperty('error_code');
    }
    expect(failures).toEqual([]);
  });
});
