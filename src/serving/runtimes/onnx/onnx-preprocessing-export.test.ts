// Issue 13: a Gyre model exported to ONNX with its preprocessing takes the raw California
// housing columns (nulls, a string category, unseen categories) and onnxruntime-node
// predicts what Gyre predicts, to float32 precision.
import { describe, expect, it } from 'vitest';
import type { PreprocessorOptions, RawValue } from '../../../ml/index.js';
import {
  ServableModel,
  exportOnnx,
  fitPreprocessor,
  takeRows,
  trainGbdt,
  trainLogisticRegression,
  trainTestSplit,
} from '../../../ml/index.js';
import { NUMERIC_COLUMNS, loadCaliforniaHousing } from '../../../../test/ml/california-housing.js';
import { OnnxRuntimeModel } from './onnx-runtime.js';

const data = loadCaliforniaHousing();
const split = trainTestSplit(data.x.numRows, 0.2, 42);
const names = [...NUMERIC_COLUMNS, 'ocean_proximity'];
const pick = <T>(values: ArrayLike<T>, idx: ArrayLike<number>): T[] =>
  Array.from(idx, (i) => values[i]);
const rawColumns = (idx: ArrayLike<number>): RawValue[][] => [
  ...NUMERIC_COLUMNS.map((c) =>
    pick(data.columns[c], idx).map((v) => (Number.isNaN(v) ? null : v)),
  ),
  pick(data.oceanProximity, idx),
];
// Test rows plus serving-time surprises: a category never seen and a missing one.
const testIdx = split.test.subarray(0, 1500);
const test = rawColumns(testIdx);
test[8][0] = 'MARS';
test[8][1] = '';
const trainCols = rawColumns(split.train);
const medianValue = Float64Array.from(split.train, (i) => data.y[i]).sort()[
  split.train.length >> 1
];
const label = (idx: ArrayLike<number>): number[] =>
  pick(data.y, idx).map((v) => (v > medianValue ? 1 : 0));

/** The raw columns as onnxruntime takes them. */
function feeds(columns: RawValue[][]): Record<string, Float32Array | string[]> {
  const out: Record<string, Float32Array | string[]> = {};
  names.forEach((name, c) => {
    out[name] =
      c < NUMERIC_COLUMNS.length
        ? Float32Array.from(columns[c], (v) => (v === null ? NaN : Number(v)))
        : columns[c].map((v) => (v === null || v === undefined ? '' : String(v)));
  });
  return out;
}

async function runOnnx(model: ServableModel) {
  const onnx = await OnnxRuntimeModel.load(exportOnnx(model));
  try {
    return await onnx.runColumns(feeds(test));
  } finally {
    await onnx.close();
  }
}

function expectFloat32Close(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    worst = Math.max(worst, Math.abs(actual[i] - e) / Math.max(1, Math.abs(e)));
  }
  // ONNX tree ensembles sum float32 leaf weights: a few float32 ulps per tree.
  expect(worst).toBeLessThan(1e-5);
}

function fitted(options: PreprocessorOptions) {
  const pre = fitPreprocessor(
    names.map((name, i) => ({ name, values: trainCols[i] })),
    options,
  );
  return { pre, x: pre.transformColumns(trainCols) };
}

describe('ONNX export with preprocessing, through onnxruntime-node', () => {
  it('imputes, scales and one-hot encodes before a GBDT regressor', async () => {
    const { pre, x } = fitted({ impute: 'median', standardize: true, categorical: 'onehot' });
    const gbdt = trainGbdt({
      x,
      y: pick(data.y, split.train),
      features: pre.outputFeatures,
      params: { numRounds: 60, maxDepth: 6 },
    });
    const model = new ServableModel(gbdt, pre);
    const out = await runOnnx(model);
    expect(out.variable.dims).toEqual([testIdx.length, 1]);
    expectFloat32Close(
      Float64Array.from(out.variable.data as Float32Array).map((v) => v / 1e5),
      model.predictColumns(test).map((v) => v / 1e5),
    );
  });

  it('keeps missing values and splits on category codes natively (binary GBDT)', async () => {
    const { pre, x } = fitted({ impute: 'none', categorical: 'ordinal' });
    const gbdt = trainGbdt({
      x,
      y: label(split.train),
      features: pre.outputFeatures,
      params: { objective: 'binary_logloss', numRounds: 60, maxDepth: 5, maxCatToOnehot: 2 },
    });
    expect(gbdt.ensemble.trees.some((t) => t.categories?.some((c) => c !== null))).toBe(true);
    const model = new ServableModel(gbdt, pre);
    const out = await runOnnx(model);
    const probabilities = out.probabilities.data as Float32Array;
    expectFloat32Close(
      Float64Array.from({ length: testIdx.length }, (_, i) => probabilities[2 * i + 1]),
      model.predictColumns(test),
    );
  });

  it('runs a logistic regression behind its pipeline', async () => {
    const { pre, x } = fitted({ impute: 'mean', standardize: true, categorical: 'onehot' });
    const logistic = trainLogisticRegression(x, label(split.train), {
      features: pre.outputFeatures,
    });
    const model = new ServableModel(logistic, pre);
    const out = await runOnnx(model);
    const probabilities = out.probabilities.data as Float32Array;
    expectFloat32Close(
      Float64Array.from({ length: testIdx.length }, (_, i) => probabilities[2 * i + 1]),
      model.predictColumns(test),
    );
  });

  it('still exports bare predictors with one input tensor', () => {
    const x = takeRows(data.x, split.train.subarray(0, 2000));
    const gbdt = trainGbdt({
      x,
      y: pick(data.y, split.train.subarray(0, 2000)),
      params: { numRounds: 3 },
    });
    expect(exportOnnx(gbdt).length).toBeGreaterThan(100);
  });
});
