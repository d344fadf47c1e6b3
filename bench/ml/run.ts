// Gyre GBDT vs XGBoost hist, side by side in one run, at one thread and at every core:
//   npx tsx bench/ml/run.ts [--repeats 3] [--flights-rounds 200] [--synthetic-rounds 100]
//                           [--large-rows 10000000]
// Builds first (training threads run dist/) and compiles the Gyre side scripts into
// dist/.bench to run them with plain node. Each (dataset, side, threads) runs in
// its own process, so its peak RSS is its own; the two sides alternate so load from other
// work on the machine does not land on one side only, and each side keeps its best train
// time over --repeats. Prints one Markdown table.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HOUSING_CSV, REPO_ROOT } from '../../test/fixtures/data-files.js';
import type { ParquetDataset } from './datasets.js';
import { CACHE_DIR, californiaSplit, flights, synthetic } from './datasets.js';

const { values: args } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    'california-rounds': { type: 'string', default: '300' },
    'flights-rows': { type: 'string', default: '1000000' },
    'flights-rounds': { type: 'string', default: '200' },
    'synthetic-rows': { type: 'string', default: '2000000' },
    'synthetic-rounds': { type: 'string', default: '100' },
    'large-rows': { type: 'string', default: '10000000' },
    only: { type: 'string', default: 'california,flights,synthetic,large' },
  },
});

interface SideResult {
  train_seconds: number;
  peak_rss_mb: number;
  metric: number;
  predict_1_us: number;
  predict_1000_ms: number;
  predict_1m_s: number;
  shap_1000_ms: number;
  xgboost_version?: string;
}

const COMPILED = resolve(REPO_ROOT, 'dist/.bench');

/** `npm run build`, then the Gyre side scripts (and what they import) into dist/.bench. */
function compileGyreSide(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  execFileSync(
    resolve(REPO_ROOT, 'node_modules/.bin/tsc'),
    [
      ...['--outDir', COMPILED, '--rootDir', REPO_ROOT, '--module', 'nodenext'],
      ...['--moduleResolution', 'nodenext', '--target', 'es2023', '--skipLibCheck'],
      ...['--types', 'node', '--esModuleInterop', '--resolveJsonModule', '--strict'],
      resolve(REPO_ROOT, 'bench/ml/gyre-side.ts'),
      resolve(REPO_ROOT, 'bench/ml/large-streaming.ts'),
    ],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
}

const datasets = new Map<string, ParquetDataset>();

function runGyre(dataset: string, threads: number, rounds: number): SideResult {
  const data =
    dataset === 'california'
      ? ['--csv', HOUSING_CSV]
      : ['--parquet', JSON.stringify(datasets.get(dataset))];
  const out = execFileSync(
    process.execPath,
    [
      resolve(COMPILED, 'bench/ml/gyre-side.js'),
      ...['--dataset', dataset, '--threads', String(threads), '--rounds', String(rounds)],
      ...data,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as SideResult;
}

function runXgboost(dataset: string, threads: number, rounds: number): SideResult {
  const out = execFileSync(
    '/usr/bin/python3',
    [
      resolve(REPO_ROOT, 'bench/ml/xgboost_side.py'),
      ...['--dir', CACHE_DIR, '--dataset', dataset, '--csv', HOUSING_CSV],
      ...['--threads', String(threads), '--rounds', String(rounds)],
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as SideResult;
}

/** Alternates the sides `repeats` times; keeps each side's run with the best train time. */
function compare(
  dataset: string,
  threads: number,
  rounds: number,
  repeats: number,
): { gyre: SideResult; xgboost: SideResult } {
  let gyre: SideResult | null = null;
  let xgboost: SideResult | null = null;
  for (let rep = 0; rep < repeats; rep++) {
    console.error(`${dataset}, ${threads} thread(s), round ${rep + 1}/${repeats}…`);
    const x = runXgboost(dataset, threads, rounds);
    console.error(`  XGBoost ${JSON.stringify(x)}`);
    if (!xgboost || x.train_seconds < xgboost.train_seconds) xgboost = x;
    const g = runGyre(dataset, threads, rounds);
    console.error(`  Gyre    ${JSON.stringify(g)}`);
    if (!gyre || g.train_seconds < gyre.train_seconds) gyre = g;
  }
  return { gyre: gyre!, xgboost: xgboost! };
}

const f = (v: number, digits: number): string => v.toFixed(digits);
const ratio = (a: number, b: number): string => `${f(a / b, 2)}×`;

const cores = availableParallelism();
const threadCounts = cores > 1 ? [1, cores] : [1];
const only = new Set(args.only!.split(','));
const repeats = Number(args.repeats);
const header = [
  'dataset',
  'threads',
  'side',
  'train s',
  'peak RSS MB (load + train)',
  'test metric',
  'predict 1 row µs',
  'predict 1,000 rows ms',
  'predict 1M rows s',
  'SHAP 1,000 rows ms',
];
const table: string[][] = [header];
let xgboostVersion = '';

function addRows(
  label: string,
  metricName: string,
  threads: number,
  r: ReturnType<typeof compare>,
): void {
  const { gyre: g, xgboost: x } = r;
  xgboostVersion = x.xgboost_version ?? xgboostVersion;
  const digits = metricName === 'RMSE' ? 0 : 4;
  const row = (side: string, s: SideResult): string[] => [
    label,
    String(threads),
    side,
    f(s.train_seconds, 2),
    f(s.peak_rss_mb, 0),
    `${metricName} ${f(s.metric, digits)}`,
    f(s.predict_1_us, 1),
    f(s.predict_1000_ms, 2),
    f(s.predict_1m_s, 2),
    f(s.shap_1000_ms, 0),
  ];
  table.push(row('Gyre', g), row('XGBoost', x), [
    label,
    String(threads),
    'Gyre / XGBoost',
    ratio(g.train_seconds, x.train_seconds),
    ratio(g.peak_rss_mb, x.peak_rss_mb),
    metricName === 'RMSE'
      ? `${f((100 * (g.metric - x.metric)) / x.metric, 2)}%`
      : `${f(g.metric - x.metric, 4)}`,
    ratio(g.predict_1_us, x.predict_1_us),
    ratio(g.predict_1000_ms, x.predict_1000_ms),
    ratio(g.predict_1m_s, x.predict_1m_s),
    ratio(g.shap_1000_ms, x.shap_1000_ms),
  ]);
}

compileGyreSide();
californiaSplit(20640);
const flightsRows = Number(args['flights-rows']);
const syntheticRows = Number(args['synthetic-rows']);
if (only.has('flights')) datasets.set('flights', await flights(flightsRows));
if (only.has('synthetic')) datasets.set('synthetic', await synthetic(syntheticRows, 50));
for (const threads of threadCounts) {
  if (only.has('california')) {
    const rounds = Number(args['california-rounds']);
    addRows(
      `California housing (16,512 train rows × 9, ${rounds} rounds)`,
      'RMSE',
      threads,
      compare('california', threads, rounds, repeats),
    );
  }
  if (only.has('flights')) {
    const rounds = Number(args['flights-rounds']);
    addRows(
      `flights (${flightsRows * 0.8} train rows × 7, ${rounds} rounds)`,
      'AUC',
      threads,
      compare('flights', threads, rounds, 1),
    );
  }
  if (only.has('synthetic')) {
    const rounds = Number(args['synthetic-rounds']);
    addRows(
      `make_classification (${syntheticRows * 0.8} train rows × 50, ${rounds} rounds)`,
      'AUC',
      threads,
      compare('synthetic', threads, rounds, 1),
    );
  }
}
const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
for (const [i, row] of table.entries()) {
  console.log('| ' + row.map((cell, c) => cell.padEnd(widths[c])).join(' | ') + ' |');
  if (i === 0) console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
}
console.log(
  `\nXGBoost ${xgboostVersion} (hist, depth 6, eta 0.1, 256 bins), Node ${process.version}, ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}).`,
);

const largeRows = Number(args['large-rows']);
if (only.has('large') && largeRows > 0) {
  console.error(`streaming ${largeRows} × 30 rows…`);
  const out = execFileSync(
    process.execPath,
    [
      resolve(COMPILED, 'bench/ml/large-streaming.js'),
      ...['--rows', String(largeRows), '--features', '30', '--rounds', '10'],
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const large = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  console.log(
    `\nGyre streaming ${large.rows} × ${large.features} in column chunks (${large.rounds} rounds, all cores): ` +
      `generate + bin ${f(large.generate_and_bin_seconds, 1)} s, train ${f(large.train_seconds, 1)} s, ` +
      `binned matrix ${f(large.binned_mb, 0)} MB, peak RSS ${f(large.peak_rss_mb, 0)} MB.`,
  );
}
