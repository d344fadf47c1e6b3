// Gyre side of bench/ml/run.ts: one dataset at one thread count, in its own process so its
// peak RSS is its own. California trains from the matrix; flights and the synthetic set
// stream their Parquet file in column chunks (only bins and labels stay in memory, plus
// the test rows). Prints one JSON line like xgboost_side.py. run.ts compiles it and runs it
// with plain node: under tsx every module is rewritten with getter-based exports, which
// roughly doubles the training time and would not be Gyre's speed.
//   node dist/.bench/bench/ml/gyre-side.js --dataset california --csv PATH --threads 2 …
import { parseArgs } from 'node:util';
import {
  readParquetColumnChunks,
  sampleParquetColumns,
} from '../../src/data/duckdb/parquet-column-chunks.js';
import type { DenseMatrix, GbdtModel } from '../../src/ml/index.js';
import {
  GbdtDatasetBuilder,
  denseMatrix,
  rmse,
  rocAuc,
  takeRows,
  takeValues,
  trainGbdt,
  trainGbdtDataset,
  trainTestSplit,
} from '../../src/ml/index.js';
import { loadCaliforniaHousing } from '../../test/ml/california-housing.js';
import type { ParquetDataset } from './datasets.js';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string' },
    threads: { type: 'string' },
    rounds: { type: 'string' },
    /** California: the CSV. */
    csv: { type: 'string' },
    /** Parquet datasets: a JSON ParquetDataset. */
    parquet: { type: 'string' },
  },
});
const threads = Number(args.threads);
const params = {
  numRounds: Number(args.rounds),
  maxDepth: 6,
  learningRate: 0.1,
  maxBins: 256,
  seed: 42,
  numThreads: threads,
};

interface Trained {
  model: GbdtModel;
  seconds: number;
  test: DenseMatrix;
  testY: ArrayLike<number>;
  metric: (y: ArrayLike<number>, p: Float64Array) => number;
}

function california(): Trained {
  const ca = loadCaliforniaHousing(args.csv);
  const split = trainTestSplit(ca.x.numRows, 0.2, 42);
  const x = takeRows(ca.x, split.train);
  const y = takeValues(ca.y, split.train);
  const start = performance.now();
  const model = trainGbdt({ x, y, params });
  const seconds = (performance.now() - start) / 1000;
  return {
    model,
    seconds,
    test: takeRows(ca.x, split.test),
    testY: takeValues(ca.y, split.test),
    metric: rmse,
  };
}

/** Streams the Parquet file: training rows into the binned dataset, test rows into a matrix. */
async function fromParquet(d: ParquetDataset): Promise<Trained> {
  const cols = d.features.length;
  const specs = [...d.features, 'label'].map((name) => ({ name, type: 'numeric' as const }));
  const features = d.features.map((name) => ({ name, type: 'numeric' as const }));
  const sample = await sampleParquetColumns(d.parquet, specs.slice(0, cols), 200_000, 42);
  let seconds = 0;
  let start = performance.now();
  const builder = new GbdtDatasetBuilder({
    features,
    numRows: d.trainRows,
    sample,
    labelType: 'float32',
    numThreads: threads,
  });
  seconds += performance.now() - start;
  const testRows = d.rows - d.trainRows;
  const test = new Float32Array(testRows * cols);
  const testY = new Float32Array(testRows);
  let at = 0;
  for await (const chunk of readParquetColumnChunks(d.parquet, specs)) {
    const toTrain = Math.max(0, Math.min(chunk.numRows, d.trainRows - at));
    if (toTrain > 0) {
      start = performance.now();
      builder.append({
        columns: chunk.columns.slice(0, cols).map((c) => c.subarray(0, toTrain)),
        labels: chunk.columns[cols].subarray(0, toTrain),
      });
      seconds += performance.now() - start;
    }
    for (let r = toTrain; r < chunk.numRows; r++) {
      const t = at + r - d.trainRows;
      for (let c = 0; c < cols; c++) test[t * cols + c] = chunk.columns[c][r];
      testY[t] = chunk.columns[cols][r];
    }
    at += chunk.numRows;
  }
  start = performance.now();
  const model = trainGbdtDataset(builder.finish(), {
    params: { ...params, objective: 'binary_logloss' },
  });
  seconds += performance.now() - start;
  return {
    model,
    seconds: seconds / 1000,
    test: denseMatrix(test, testRows, cols),
    testY,
    metric: rocAuc,
  };
}

function tile(x: DenseMatrix, rows: number): DenseMatrix {
  const values = new Float32Array(rows * x.numCols);
  for (let at = 0; at < values.length; at += x.values.length) {
    values.set(x.values.subarray(0, Math.min(x.values.length, values.length - at)), at);
  }
  return denseMatrix(values, rows, x.numCols);
}

function bestOf(repeats: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const trained =
  args.dataset === 'california'
    ? california()
    : await fromParquet(JSON.parse(args.parquet!) as ParquetDataset);
// Peak RSS through loading and training, before prediction allocates its inputs.
const trainRssMb = process.resourceUsage().maxRSS / 1024;
const { model, test } = trained;
const metric = trained.metric(trained.testY, model.predict(test));

const out = new Float64Array(model.numOutputs);
const n = 20_000;
for (let i = 0; i < 2000; i++) model.predictRowInto(test.values, out, (i % 1000) * test.numCols);
const start = performance.now();
for (let i = 0; i < n; i++) model.predictRowInto(test.values, out, (i % 1000) * test.numCols);
const predict1us = ((performance.now() - start) / n) * 1000;
const batch = tile(test, 1000);
model.predict(batch);
const predict1000ms = bestOf(20, () => model.predict(batch));
const million = tile(test, 1_000_000);
const predict1ms = bestOf(2, () => model.predict(million)) / 1000;
const shap1000ms = bestOf(2, () => model.shapValues(batch));
console.log(
  JSON.stringify({
    train_seconds: trained.seconds,
    peak_rss_mb: trainRssMb,
    metric,
    predict_1_us: predict1us,
    predict_1000_ms: predict1000ms,
    predict_1m_s: predict1ms,
    shap_1000_ms: shap1000ms,
  }),
);
