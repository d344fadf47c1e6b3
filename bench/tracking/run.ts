// Tracking benchmark through the MLflow endpoints of a real Gyre server on loopback (SQLite,
// the embedded default), side by side with anchors measured in the same run:
//   - a bare node:http server that only parses and answers JSON (the HTTP floor), and
//   - a raw better-sqlite3 loop inserting the same metric rows (the storage floor).
// Prints one table with ratios, the targets from issue 3, and MLflow 2.7's figures on SQLite
// measured on this machine (quoted from the issue; MLflow is not run here).
//
//   npx tsx bench/tracking/run.ts
import BetterSqlite3 from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openArtifactStore } from '../../src/artifacts/index.js';
import { migrateToLatest, openDatabase } from '../../src/db/index.js';
import { buildApp } from '../../src/server/index.js';
import { createTrackingService } from '../../src/tracking/index.js';

const SINGLE_CALLS = 3000;
const BATCHES = 100;
const BATCH_SIZE = 1000;
const SEARCH_RUNS = 200;
const SEARCH_REPEATS = 50;

async function postJson(base: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function bareJsonServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function rawSqliteMetricsPerSecond(dir: string): number {
  const db = new BetterSqlite3(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table m (run_uuid text, key text, value real, is_nan integer, timestamp integer, step integer)',
  );
  db.exec('create index m_i on m (run_uuid, key, step, timestamp)');
  const insert = db.prepare('insert into m values (?, ?, ?, ?, ?, ?)');
  const batch = db.transaction((start: number) => {
    for (let i = 0; i < BATCH_SIZE; i += 1)
      insert.run('r', 'loss', Math.random(), 0, start + i, start + i);
  });
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < BATCHES; b += 1) batch(b * BATCH_SIZE);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  db.close();
  return (BATCHES * BATCH_SIZE) / (ms / 1000);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-bench-tracking-'));
  const db = openDatabase(`sqlite:${join(dir, 'gyre.db')}`);
  await migrateToLatest(db);
  const app = await buildApp({
    db,
    artifacts: openArtifactStore(join(dir, 'artifacts')),
    tracking: createTrackingService(db),
    version: 'bench',
    bodyLimitBytes: 64 * 1024 * 1024,
  });
  const gyre = await app.listen({ host: '127.0.0.1', port: 0 });
  const api = `${gyre}/api/2.0/mlflow`;
  const bare = await bareJsonServer();

  const runId = async (name: string): Promise<string> =>
    (
      (await postJson(api, '/runs/create', { experiment_id: '0', run_name: name })) as {
        run: { info: { run_id: string } };
      }
    ).run.info.run_id;

  // Warm-up so JIT and connection pools are not measured.
  const warm = await runId('warm-up');
  for (let i = 0; i < 300; i += 1) {
    await postJson(api, '/runs/log-metric', {
      run_id: warm,
      key: 'w',
      value: i,
      timestamp: i,
      step: i,
    });
    await postJson(bare.url, '/runs/log-metric', {
      run_id: warm,
      key: 'w',
      value: i,
      timestamp: i,
      step: i,
    });
  }

  // 1. Single log-metric calls, one after another as a training loop makes them.
  const single = await runId('single');
  const singleMs = await timed(async () => {
    for (let i = 0; i < SINGLE_CALLS; i += 1)
      await postJson(api, '/runs/log-metric', {
        run_id: single,
        key: 'loss',
        value: Math.random(),
        timestamp: Date.now(),
        step: i,
      });
  });
  const bareMs = await timed(async () => {
    for (let i = 0; i < SINGLE_CALLS; i += 1)
      await postJson(bare.url, '/runs/log-metric', {
        run_id: single,
        key: 'loss',
        value: Math.random(),
        timestamp: Date.now(),
        step: i,
      });
  });
  const callsPerSec = SINGLE_CALLS / (singleMs / 1000);
  const bareCallsPerSec = SINGLE_CALLS / (bareMs / 1000);

  // 2. log-batch: 100 batches × 1,000 metrics into one key (which also builds the history).
  const batched = await runId('batched');
  const batchMs = await timed(async () => {
    for (let b = 0; b < BATCHES; b += 1) {
      const metrics = Array.from({ length: BATCH_SIZE }, (_, i) => ({
        key: 'loss',
        value: Math.random(),
        timestamp: 1_700_000_000_000 + b * BATCH_SIZE + i,
        step: b * BATCH_SIZE + i,
      }));
      await postJson(api, '/runs/log-batch', { run_id: batched, metrics });
    }
  });
  const metricsPerSec = (BATCHES * BATCH_SIZE) / (batchMs / 1000);
  const rawMetricsPerSec = rawSqliteMetricsPerSecond(dir);

  // 3. The 100,000-point history, fetched whole.
  const historyTimes: number[] = [];
  let points = 0;
  for (let i = 0; i < 5; i += 1) {
    historyTimes.push(
      await timed(async () => {
        const res = await fetch(`${api}/metrics/get-history?run_id=${batched}&metric_key=loss`);
        points = ((await res.json()) as { metrics: unknown[] }).metrics.length;
      }),
    );
  }
  if (points !== BATCHES * BATCH_SIZE) throw new Error(`history returned ${points} points`);
  const historyMs = median(historyTimes);

  // 4. Search over 200 runs with a three-clause filter.
  const experiment = (await postJson(api, '/experiments/create', { name: 'search-bench' })) as {
    experiment_id: string;
  };
  for (let i = 0; i < SEARCH_RUNS; i += 1) {
    const id = (
      (await postJson(api, '/runs/create', { experiment_id: experiment.experiment_id })) as {
        run: { info: { run_id: string } };
      }
    ).run.info.run_id;
    await postJson(api, '/runs/log-batch', {
      run_id: id,
      metrics: [{ key: 'rmse', value: (i % 100) / 100, timestamp: 1, step: 0 }],
      params: [{ key: 'algo', value: i % 2 === 0 ? 'gbdt' : 'linear' }],
      tags: [{ key: 'stage', value: i % 4 === 0 ? 'prod' : 'dev' }],
    });
  }
  const filter = "metrics.rmse < 0.5 AND params.algo = 'gbdt' AND tags.stage = 'prod'";
  const searchTimes: number[] = [];
  let found = 0;
  for (let i = 0; i < SEARCH_REPEATS; i += 1)
    searchTimes.push(
      await timed(async () => {
        const body = (await postJson(api, '/runs/search', {
          experiment_ids: [experiment.experiment_id],
          filter,
        })) as {
          runs?: unknown[];
        };
        found = body.runs?.length ?? 0;
      }),
    );
  const searchMs = median(searchTimes);

  await app.close();
  await new Promise((resolve) => bare.server.close(resolve));
  await db.close();
  rmSync(dir, { recursive: true, force: true });

  const rows = [
    [
      'log-metric calls/s (sequential)',
      callsPerSec,
      `bare node:http JSON ${bareCallsPerSec.toFixed(0)}/s`,
      callsPerSec / bareCallsPerSec,
      '>= 3,000',
      callsPerSec >= 3000,
      130,
      callsPerSec / 130,
    ],
    [
      'log-batch metrics/s (100 × 1,000)',
      metricsPerSec,
      `raw better-sqlite3 ${rawMetricsPerSec.toFixed(0)}/s`,
      metricsPerSec / rawMetricsPerSec,
      '>= 200,000',
      metricsPerSec >= 200_000,
      9300,
      metricsPerSec / 9300,
    ],
    [
      '100,000-point history fetch (ms)',
      historyMs,
      '-',
      undefined,
      '<= 250',
      historyMs <= 250,
      5000,
      5000 / historyMs,
    ],
    [
      `search 200 runs, 3 clauses (ms, ${found} hits)`,
      searchMs,
      '-',
      undefined,
      '<= 5',
      searchMs <= 5,
      13,
      13 / searchMs,
    ],
  ] as const;
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  const table = [
    [
      'measure',
      'Gyre',
      'anchor (same run)',
      'Gyre/anchor',
      'target',
      'met',
      'MLflow 2.7',
      'vs MLflow',
    ],
    ...rows.map((r) => [
      r[0],
      fmt(r[1]),
      r[2],
      r[3] === undefined ? '-' : r[3].toFixed(2),
      r[4],
      r[5] ? 'yes' : 'NO',
      String(r[6]),
      `${r[7].toFixed(1)}×`,
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
}

await main();
