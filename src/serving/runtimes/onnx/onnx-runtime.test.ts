// Gyre models exported to ONNX run in onnxruntime-node and agree with Gyre's own evaluator.
import { describe, expect, it } from 'vitest';
import type { Predictor } from '../../../ml/index.js';
import {
  SeededRandom,
  exportOnnx,
  matrixFromColumns,
  trainGbdt,
  trainLinearRegression,
  trainLogisticRegression,
} from '../../../ml/index.js';
import { OnnxRuntimeModel } from './onnx-runtime.js';

const rng = new SeededRandom(9);
const n = 600;
const a = Float64Array.from({ length: n }, () => rng.next() * 4);
const b = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.next()));
const x = matrixFromColumns([a, b]);
const y = a.map((v, i) => Math.sin(v) + (Number.isNaN(b[i]) ? 1 : b[i]));
const xFilled = matrixFromColumns([a, b.map((v) => (Number.isNaN(v) ? 0.5 : v))]);

async function run(model: Predictor, input = x) {
  const onnx = await OnnxRuntimeModel.load(exportOnnx(model));
  try {
    return await onnx.runMatrix(input.values, input.numRows, input.numCols);
  } finally {
    await onnx.close();
  }
}

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    // ONNX tree ensembles hold float32 leaf weights and sums.
    expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-5 + 1e-5 * Math.abs(expected[i]));
  }
}

describe('ONNX export through onnxruntime-node', () => {
  it('runs a GBDT regressor (with missing values) like Gyre', async () => {
    const model = trainGbdt({ x, y, params: { numRounds: 30 } });
    const out = await run(model);
    expectNear(out.variable.data as Float32Array, model.predict(x));
  });

  it('runs a binary GBDT classifier like Gyre', async () => {
    const model = trainGbdt({
      x,
      y: y.map((v) => (v > 1.2 ? 1 : 0)),
      params: { objective: 'binary_logloss', numRounds: 30 },
    });
    const out = await run(model);
    const p = model.predict(x);
    const probs = out.probabilities.data as Float32Array;
    expectNear(
      Float64Array.from({ length: n }, (_, i) => probs[2 * i + 1]),
      p,
    );
  });

  it('runs a multiclass GBDT classifier like Gyre', async () => {
    const labels = y.map((v) => (v < 0.8 ? 0 : v < 1.5 ? 1 : 2));
    const model = trainGbdt({
      x,
      y: labels,
      params: { objective: 'multiclass_softmax', numClass: 3, numRounds: 20 },
    });
    const out = await run(model);
    expectNear(out.probabilities.data as Float32Array, model.predict(x));
  });

  it('runs linear and logistic regression like Gyre', async () => {
    const linear = trainLinearRegression(xFilled, y, { alpha: 0.01 });
    expectNear((await run(linear, xFilled)).variable.data as Float32Array, linear.predict(xFilled));
    const logistic = trainLogisticRegression(
      xFilled,
      y.map((v) => (v > 1.2 ? 1 : 0)),
    );
    const probs = (await run(logistic, xFilled)).probabilities.data as Float32Array;
    const p = logistic.predict(xFilled);
    expectNear(
      Float64Array.from({ length: n }, (_, i) => probs[2 * i + 1]),
      p,
    );
  });
});
