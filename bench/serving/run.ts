// Serving benchmark, one run, one table (issue 10): Gyre serving a 300-tree GBDT trained on
// California housing through /invocations and /v2/.../infer — prediction log and metrics on —
// against a bare node:http server that only parses and answers the same JSON (the ceiling)
// and FastAPI + XGBoost serving the same model, at 16 connections with wrk, one worker each
// and then one per core. Then batch prediction of 1M rows against XGBoost's predict.
//
// The model is trained by real XGBoost (so every server serves the very same trees) and
// registered in Gyre as an MLflow xgboost-flavor model, evaluated by Gyre's native evaluator.
//
//   npm run build && npx tsx bench/serving/run.ts [--seconds 5] [--rounds 3] [--rows 1000000]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../../src/config/index.js';
import { createGyre } from '../../src/gyre.js';
import { ServableModel, importXgboostJson, matrixFromRows } from '../../src/ml/index.js';
import { batchPredict } from '../../src/serving/index.js';
import { HOUSING_CSV, REPO_ROOT } from '../../test/fixtures/data-files.js';
import { housingBodies, housingFeatureRows, parseWrk, type WrkResult } from './bench-support.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SECONDS = arg('seconds', 5);
const ROUNDS = arg('rounds', 3);
const BATCH_ROWS = arg('rows', 1_000_000);
const PYTHON = '/usr/bin/python3';
const HERE = resolve(REPO_ROOT, 'bench/serving');
const CORES = availableParallelism();

const dir = mkdtempSync(join(tmpdir(), 'gyre-bench-serving-'));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(command: string, args: string[], env: Record<string, string>, cwd = REPO_ROOT) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
}

/** Polls until the server answers (benchmarks may poll; tests never do). */
async function until(url: string, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered: ${output()}`);
}

function wrk(url: string, bodyFile: string, seconds: number): WrkResult {
  const script = join(dir, 'post.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("${bodyFile}", "r")\nwrk.body = f:read("*a")\nf:close()\n`,
  );
  const text = execFileSync(
    'wrk',
    ['-t2', '-c16', `-d${seconds}s`, '--latency', '-s', script, url],
    {
      encoding: 'utf8',
    },
  );
  return parseWrk(text);
}

/** The median of each figure over rounds; non-2xx responses are summed. */
function medianOf(results: WrkResult[]): WrkResult {
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
  };
}

async function main() {
  const machine = `${cpus()[0].model}, ${CORES} cores, Node ${process.version}, load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
  console.error(`machine: ${machine}`);

  console.error('training the 300-tree model with XGBoost ...');
  const trained = JSON.parse(
    execFileSync(
      PYTHON,
      [join(HERE, 'xgboost_side.py'), 'train', '--csv', HOUSING_CSV, '--out', dir],
      { encoding: 'utf8' },
    ),
  ) as { xgboost_version: string };
  const modelJson = readFileSync(join(dir, 'model.json'), 'utf8');

  // A Gyre home with the model registered as MLflow would log it, and deployed.
  const home = join(dir, 'home');
  const gyre = await createGyre(loadConfig({ cwd: dir, env: { GYRE_HOME: home } }));
  const columns = housingFeatureRows().columns;
  const signature = JSON.stringify(
    columns.map((name) => ({ type: 'double', name, required: true })),
  );
  await gyre.artifacts.put('bench/model/model.json', modelJson);
  await gyre.artifacts.put(
    'bench/model/MLmodel',
    `flavors:\n  xgboost:\n    data: model.json\n    model_format: json\n    xgb_version: ${trained.xgboost_version}\nsignature:\n  inputs: '${signature}'\n`,
  );
  await gyre.registry.createModel({ name: 'housing' });
  await gyre.registry.createVersion({
    name: 'housing',
    source: gyre.artifacts.uriOf('bench/model'),
  });
  await gyre.serving.deployments.deploy({ name: 'housing', model: 'housing/1' });

  const bodies = housingBodies(dir);
  const rows: { label: string; workers: number; result: WrkResult; note?: string }[] = [];
  for (const workers of [...new Set([1, CORES])]) {
    // Every server runs for the whole round; they take turns under wrk, round after round,
    // so a burst of load from elsewhere on the machine falls on all of them alike.
    const ceiling = start('node', ['--import', 'tsx', join(HERE, 'ceiling-server.ts')], {
      PORT: '18080',
      WORKERS: String(workers),
    });
    const served = start(
      'node',
      [join(REPO_ROOT, 'bin/gyre.js'), 'serve', '--port', '18081', '--workers', String(workers)],
      { GYRE_HOME: home, GYRE_LOG_LEVEL: 'warn' },
    );
    const fastapi = start(
      PYTHON,
      [
        '-m',
        'uvicorn',
        'fastapi_server:app',
        '--host',
        '127.0.0.1',
        '--port',
        '18082',
        '--workers',
        String(workers),
        '--log-level',
        'warning',
      ],
      { BENCH_MODEL: join(dir, 'model.json') },
      HERE,
    );
    await until('http://127.0.0.1:18080/', ceiling.output);
    await until('http://127.0.0.1:18081/ping', served.output);
    await until('http://127.0.0.1:18082/docs', fastapi.output);
    const targets = [
      {
        label: 'ceiling: node:http, JSON parse + answer (MLflow body)',
        url: 'http://127.0.0.1:18080/invocations',
        body: bodies.split,
      },
      {
        label: 'ceiling: node:http, JSON parse + answer (OIP body)',
        url: 'http://127.0.0.1:18080/infer',
        body: bodies.oip,
      },
      {
        label: 'Gyre /invocations (dataframe_split)',
        url: 'http://127.0.0.1:18081/invocations',
        body: bodies.split,
      },
      {
        label: 'Gyre /v2/models/housing/infer (OIP)',
        url: 'http://127.0.0.1:18081/v2/models/housing/infer',
        body: bodies.oip,
      },
      {
        label: 'FastAPI + XGBoost /invocations',
        url: 'http://127.0.0.1:18082/invocations',
        body: bodies.split,
      },
    ];
    for (const t of targets) wrk(t.url, t.body, 2);
    const results = targets.map(() => [] as WrkResult[]);
    for (let round = 0; round < ROUNDS; round++) {
      targets.forEach((t, i) => results[i].push(wrk(t.url, t.body, SECONDS)));
      console.error(`workers ${workers}: round ${round + 1}/${ROUNDS} done`);
    }
    // curl, not fetch: fetch would reuse the probe's keep-alive connection, which the server
    // closed long ago.
    const metrics = execFileSync('curl', ['-s', 'http://127.0.0.1:18081/metrics'], {
      encoding: 'utf8',
    });
    const dropped = [
      ...metrics.matchAll(/^gyre_prediction_log_rows_dropped_total\{[^}]*\} (\d+)/gm),
    ].reduce((a, m) => a + Number(m[1]), 0);
    targets.forEach((t, i) =>
      rows.push({
        label: t.label,
        workers,
        result: medianOf(results[i]),
        ...(t.label.startsWith('Gyre /v2')
          ? { note: `prediction log dropped ${dropped} rows` }
          : {}),
      }),
    );
    await Promise.all([stop(ceiling.child), stop(served.child), stop(fastapi.child)]);
  }
  await gyre.close();

  // Batch prediction: the same model over 1M rows.
  const model = new ServableModel(importXgboostJson(modelJson));
  const featureRows = housingFeatureRows().rows;
  const big = matrixFromRows(
    Array.from({ length: BATCH_ROWS }, (_, i) => featureRows[i % featureRows.length]),
  );
  let gyreMemory = Infinity;
  // In blocks of 65,536 rows, as `gyre predict` scores: the evaluator walks every tree over
  // a block, and a whole 1M-row matrix (36 MB) does not stay in cache between trees.
  const BLOCK = 65_536;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    for (let r = 0; r < big.numRows; r += BLOCK) {
      const n = Math.min(BLOCK, big.numRows - r);
      model.predictMatrix({
        values: big.values.subarray(r * big.numCols, (r + n) * big.numCols),
        numRows: n,
        numCols: big.numCols,
      });
    }
    gyreMemory = Math.min(gyreMemory, (performance.now() - t) / 1000);
  }
  const parquet = join(dir, 'batch.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `copy (select * exclude (ocean_proximity, median_house_value, r), dense_rank() over (order by ocean_proximity) - 1.0 as ocean_proximity from read_csv('${HOUSING_CSV}'), range(${Math.ceil(BATCH_ROWS / featureRows.length)}) t(r) limit ${BATCH_ROWS}) to '${parquet}' (format parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  const g2 = await createGyre(loadConfig({ cwd: dir, env: { GYRE_HOME: home } }));
  const t0 = performance.now();
  await batchPredict(
    { loader: g2.serving.loader, datasets: g2.data.datasets },
    { model: 'housing/1', input: parquet, output: join(dir, 'out.parquet') },
  );
  const gyreFile = (performance.now() - t0) / 1000;
  await g2.close();
  const xgb = (threads: number) =>
    (
      JSON.parse(
        execFileSync(
          PYTHON,
          [
            join(HERE, 'xgboost_side.py'),
            'batch',
            '--csv',
            HOUSING_CSV,
            '--model',
            join(dir, 'model.json'),
            '--rows',
            String(BATCH_ROWS),
            '--threads',
            String(threads),
          ],
          { encoding: 'utf8' },
        ),
      ) as { seconds: number }
    ).seconds;
  const xgb1 = xgb(1);
  const xgbAll = xgb(CORES);

  printTable(machine, trained.xgboost_version, rows, { gyreMemory, gyreFile, xgb1, xgbAll });
}

function printTable(
  machine: string,
  xgbVersion: string,
  rows: { label: string; workers: number; result: WrkResult; note?: string }[],
  batch: { gyreMemory: number; gyreFile: number; xgb1: number; xgbAll: number },
) {
  const out: string[] = [];
  out.push(
    `Machine: ${machine}; XGBoost ${xgbVersion}; wrk -t2 -c16, a 2 s warm-up, then ${ROUNDS} rounds of ${SECONDS} s per server, taking turns; medians of the rounds.\n`,
  );
  out.push(
    '| server | workers | requests/s | p50 ms | p99 ms | non-2xx | vs ceiling | vs FastAPI |',
  );
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const ceiling = rows.find(
      (c) =>
        c.workers === r.workers &&
        c.label.startsWith('ceiling') &&
        c.label.includes(r.label.includes('OIP') ? 'OIP' : 'MLflow'),
    );
    const fastapi = rows.find((c) => c.workers === r.workers && c.label.startsWith('FastAPI'));
    const gyreRow = r.label.startsWith('Gyre');
    out.push(
      `| ${r.label}${r.note ? ` (${r.note})` : ''} | ${r.workers} | ${r.result.rps.toFixed(0)} | ${r.result.p50.toFixed(2)} | ${r.result.p99.toFixed(2)} | ${r.result.non2xx} | ${gyreRow && ceiling ? `${((100 * r.result.rps) / ceiling.result.rps).toFixed(0)}%` : ''} | ${gyreRow && fastapi ? `${(r.result.rps / fastapi.result.rps).toFixed(1)}×` : ''} |`,
    );
  }
  out.push('');
  out.push(`| batch prediction, ${BATCH_ROWS.toLocaleString('en')} rows | seconds | rows/s |`);
  out.push('| --- | ---: | ---: |');
  const line = (label: string, s: number) =>
    out.push(`| ${label} | ${s.toFixed(2)} | ${Math.round(BATCH_ROWS / s).toLocaleString('en')} |`);
  line('Gyre evaluator, in memory (1 thread, best of 2)', batch.gyreMemory);
  line('`gyre predict` Parquet → Parquet (read, check, score, write)', batch.gyreFile);
  line('XGBoost inplace_predict, 1 thread', batch.xgb1);
  line(`XGBoost inplace_predict, ${CORES} threads`, batch.xgbAll);
  console.log(out.join('\n'));
}

await main();
process.exit(0);
