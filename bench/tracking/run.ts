// Tracking benchmark through the MLflow endpoints of a real Gyre server on loopback (SQLite,
// the embedded default) in its own process, side by side with anchors measured in the same run:
//   - a bare node:http server that only parses and answers JSON (the HTTP floor), and
//   - a raw better-sqlite3 loop inserting the same metric rows (the storage floor).
// Prints one table with ratios, the targets from issue 3, and MLflow 2.x's figures on SQLite.
// Those are NOT measured here: MLflow cannot be installed on this machine (no PyPI, no Debian
// package), so the column quotes the figures Gyre's design targets were set against, and the
// table says so.
//
//   npx tsx bench/tracking/run.ts
import BetterSqlite3 from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SINGLE_CALLS = 3000;
/** Concurrent clients for the second log-metric row: several training jobs logging at once. */
const CLIENTS = 8;
const BATCHES = 100;
const BATCH_SIZE = 1000;
const SEARCH_RUNS = 200;
const SEARCH_REPEATS = 50;

// A plain keep-alive node:http client: fetch's per-call overhead here (~0.6 ms) would
// otherwise bound both servers alike and hide what each costs.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function postJson(base: string, path: string, body: unknown): Promise<unknown> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400)
            reject(new Error(`${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as unknown);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
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

async function startServer(
  mode: 'gyre' | 'bare',
  dir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'bench-server.ts'), mode, dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: line.toString().trim(), child };
}

/** log-metric calls/s with `clients` callers each logging one after another. */
async function logMetricRate(base: string, runIdValue: string, clients: number): Promise<number> {
  const perClient = Math.floor(SINGLE_CALLS / clients);
  const ms = await timed(async () => {
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < perClient; i += 1)
          await postJson(base, '/runs/log-metric', {
            run_id: runIdValue,
            key: `loss-${c}`,
            value: Math.random(),
            timestamp: Date.now(),
            step: i,
          });
      }),
    );
  });
  return (perClient * clients) / (ms / 1000);
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
  const gyre = await startServer('gyre', dir);
  const api = `${gyre.url}/api/2.0/mlflow`;
  const bare = await startServer('bare', dir);

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

  // 1. Single log-metric calls: one caller after another as a training loop makes them, then
  // several callers at once; the bare server takes the same load.
  const single = await runId('single');
  const callsPerSec = await logMetricRate(api, single, 1);
  const bareCallsPerSec = await logMetricRate(bare.url, single, 1);
  const concurrentCallsPerSec = await logMetricRate(api, single, CLIENTS);
  const bareConcurrentCallsPerSec = await logMetricRate(bare.url, single, CLIENTS);

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

  gyre.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
  await Promise.all([once(gyre.child, 'exit'), once(bare.child, 'exit')]);
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
      `log-metric calls/s (${CLIENTS} concurrent clients)`,
      concurrentCallsPerSec,
      `bare node:http JSON ${bareConcurrentCallsPerSec.toFixed(0)}/s`,
      concurrentCallsPerSec / bareConcurrentCallsPerSec,
      '>= 3,000',
      concurrentCallsPerSec >= 3000,
      130,
      concurrentCallsPerSec / 130,
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
      'MLflow 2.x*',
      'vs MLflow*',
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
  console.log(
    '\n* quoted, not measured in this run: MLflow 2.x with SQLite as stated in the design targets (MLflow is not installable here)',
  );
}

await main();
