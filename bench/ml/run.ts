// Gyre GBDT vs XGBoost hist (one thread), side by side in one run:
//   npx tsx bench/ml/run.ts [--repeats 3] [--flights-rows 1000000] [--flights-rounds 100]
// Prints a table of train time (and the Gyre/XGBoost ratio), RMSE/AUC, and predict latency.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { GbdtModel } from '../../src/ml/index.js';
import {
  denseMatrix,
  rmse,
  rocAuc,
  takeRows,
  takeValues,
  trainGbdt,
  trainTestSplit,
} from '../../src/ml/index.js';
import { HOUSING_CSV, REPO_ROOT } from '../../test/fixtures/data-files.js';
import { loadCaliforniaHousing } from '../../test/ml/california-housing.js';
import { loadFlights } from './flights.js';

const { values: args } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    'flights-rows': { type: 'string', default: '1000000' },
    'flights-rounds': { type: 'string', default: '100' },
  },
});
const repeats = Number(args.repeats);
const flightsRounds = Number(args['flights-rounds']);
const tree = { maxDepth: 6, learningRate: 0.1, maxBins: 256, seed: 42 };

function timeBest<T>(n: number, fn: () => T): { result: T; seconds: number } {
  let best = Infinity;
  let result: T | undefined;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    result = fn();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { result: result as T, seconds: best };
}

function latency(
  model: GbdtModel,
  rows: Float32Array,
  numCols: number,
): { single: number; batch: number } {
  const out = new Float64Array(1);
  const n = 20000;
  for (let i = 0; i < 2000; i++) model.predictRowInto(rows, out, (i % 1000) * numCols);
  let start = performance.now();
  for (let i = 0; i < n; i++) model.predictRowInto(rows, out, (i % 1000) * numCols);
  const single = ((performance.now() - start) / n) * 1000;
  const batch = denseMatrix(rows.subarray(0, 1000 * numCols), 1000, numCols);
  model.predict(batch);
  start = performance.now();
  for (let i = 0; i < 50; i++) model.predict(batch);
  return { single, batch: ((performance.now() - start) / 50) * 1000 };
}

const dir = mkdtempSync(join(tmpdir(), 'gyre-bench-ml-'));
try {
  const ca = loadCaliforniaHousing();
  const split = trainTestSplit(ca.x.numRows, 0.2, 42);
  writeFileSync(
    join(dir, 'split.json'),
    JSON.stringify({ train: [...split.train], test: [...split.test] }),
  );
  const flights = await loadFlights(Number(args['flights-rows']));
  const flightsTrain = Math.floor(flights.rows * 0.8);
  writeFileSync(join(dir, 'flights_x.f32'), flights.x);
  writeFileSync(join(dir, 'flights_y.u8'), Uint8Array.from(flights.y));
  writeFileSync(
    join(dir, 'flights.json'),
    JSON.stringify({ rows: flights.rows, cols: flights.cols, train_rows: flightsTrain }),
  );

  const xgboost = (part: 'california' | 'flights') =>
    JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [
          resolve(REPO_ROOT, 'bench/ml/xgboost_bench.py'),
          ...['--dir', dir, '--csv', HOUSING_CSV, '--part', part],
          ...['--flights-rounds', String(flightsRounds)],
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      ),
    );

  // The machine is shared: alternate XGBoost and Gyre runs and keep each side's best, so
  // a burst of load from elsewhere does not land on one side only.
  const xtr = takeRows(ca.x, split.train);
  const ytr = takeValues(ca.y, split.train);
  const xte = takeRows(ca.x, split.test);
  const yte = takeValues(ca.y, split.test);
  let xgb = null as unknown as {
    xgboost_version: string;
    california: { train_seconds: number; rmse: number };
    predict_single_us: number;
    predict_batch1000_us: number;
  };
  let caRun = { result: null as unknown as GbdtModel, seconds: Infinity };
  for (let rep = 0; rep < repeats; rep++) {
    console.error(`California round ${rep + 1}/${repeats}…`);
    const x = xgboost('california');
    if (!xgb || x.california.train_seconds < xgb.california.train_seconds) xgb = x;
    const g = timeBest(1, () => trainGbdt({ x: xtr, y: ytr, params: { ...tree, numRounds: 300 } }));
    if (g.seconds < caRun.seconds) caRun = g;
  }
  const caRmse = rmse(yte, caRun.result.predict(xte));
  const lat = latency(caRun.result, xte.values, xte.numCols);

  console.error('flights (XGBoost, then Gyre)…');
  const xgbFlights = xgboost('flights').flights as { train_seconds: number; auc: number };
  const fx = denseMatrix(
    flights.x.subarray(0, flightsTrain * flights.cols),
    flightsTrain,
    flights.cols,
  );
  const fte = denseMatrix(
    flights.x.subarray(flightsTrain * flights.cols),
    flights.rows - flightsTrain,
    flights.cols,
  );
  const fRun = timeBest(1, () =>
    trainGbdt({
      x: fx,
      y: flights.y.subarray(0, flightsTrain),
      params: { ...tree, objective: 'binary_logloss', numRounds: flightsRounds },
    }),
  );
  const fAuc = rocAuc(flights.y.subarray(flightsTrain), fRun.result.predict(fte));

  const f = (v: number, d = 3): string => v.toFixed(d);
  const table = [
    ['benchmark', 'Gyre', 'XGBoost hist (1 thread)', 'Gyre / XGBoost'],
    [
      'California train s (300 trees, d6, 256 bins)',
      f(caRun.seconds),
      f(xgb.california.train_seconds),
      f(caRun.seconds / xgb.california.train_seconds, 2) + '×',
    ],
    [
      'California test RMSE',
      f(caRmse, 0),
      f(xgb.california.rmse, 0),
      f(caRmse / xgb.california.rmse, 4),
    ],
    [
      `flights train s (${flights.rows} rows, ${flightsRounds} trees)`,
      f(fRun.seconds),
      f(xgbFlights.train_seconds),
      f(fRun.seconds / xgbFlights.train_seconds, 2) + '×',
    ],
    [
      'flights test AUC (delay > 15 min)',
      f(fAuc, 4),
      f(xgbFlights.auc, 4),
      f(fAuc - xgbFlights.auc, 4),
    ],
    [
      'predict 1 row µs (300 trees)',
      f(lat.single, 1),
      f(xgb.predict_single_us, 1),
      f(lat.single / xgb.predict_single_us, 3) + '×',
    ],
    [
      'predict 1,000 rows µs',
      f(lat.batch, 0),
      f(xgb.predict_batch1000_us, 0),
      f(lat.batch / xgb.predict_batch1000_us, 2) + '×',
    ],
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const [i, row] of table.entries()) {
    console.log('| ' + row.map((cell, c) => cell.padEnd(widths[c])).join(' | ') + ' |');
    if (i === 0) console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  }
  console.log(
    `XGBoost ${xgb.xgboost_version}, Node ${process.version}; times are the best of ${repeats} (flights: 1 run).`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
