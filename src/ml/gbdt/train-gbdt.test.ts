import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../dense-matrix.js';
import { rocAuc } from '../metrics/ranking-metrics.js';
import { rmse } from '../metrics/regression-metrics.js';
import { SeededRandom } from '../random.js';
import { trainGbdt } from './train-gbdt.js';

function synthetic(n: number, seed: number) {
  const rng = new SeededRandom(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.next() * 10;
    b[i] = rng.next() < 0.1 ? NaN : rng.next();
    c[i] = rng.nextInt(6);
    y[i] = Math.sin(a[i]) + (Number.isNaN(b[i]) ? 2 : b[i]) + (c[i] === 3 ? 1.5 : 0);
  }
  return { x: matrixFromColumns([a, b, c]), y };
}

describe('trainGbdt', () => {
  const train = synthetic(2000, 1);
  const test = synthetic(500, 2);

  it('fits a regression with missing values and is deterministic', () => {
    const params = {
      numRounds: 60,
      maxDepth: 4,
      learningRate: 0.2,
      subsample: 0.8,
      colsampleByTree: 0.7,
      seed: 7,
    };
    const m1 = trainGbdt({ ...train, params });
    const m2 = trainGbdt({ ...train, params });
    const p1 = m1.predict(test.x);
    expect(rmse(test.y, p1)).toBeLessThan(0.2);
    expect(m2.predict(test.x)).toEqual(p1);
  });

  it('trains binary logloss to a high AUC and predicts single rows like batches', () => {
    const y = train.y.map((v) => (v > 1.5 ? 1 : 0));
    const model = trainGbdt({
      x: train.x,
      y,
      params: { objective: 'binary_logloss', numRounds: 40 },
    });
    const prob = model.predict(test.x);
    expect(
      rocAuc(
        test.y.map((v) => (v > 1.5 ? 1 : 0)),
        prob,
      ),
    ).toBeGreaterThan(0.95);
    const out = new Float64Array(1);
    model.predictRowInto(test.x.values, out, 3 * 3);
    expect(out[0]).toBe(prob[3]);
    expect(prob.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('splits categorical features natively', () => {
    const features = [
      { name: 'a', type: 'numeric' as const },
      { name: 'b', type: 'numeric' as const },
      { name: 'c', type: 'categorical' as const },
    ];
    const model = trainGbdt({
      ...train,
      features,
      params: { numRounds: 60, maxDepth: 4, learningRate: 0.2 },
    });
    expect(rmse(test.y, model.predict(test.x))).toBeLessThan(0.2);
    expect(model.ensemble.trees.some((t) => t.categories?.some((c) => c !== null))).toBe(true);
    const importance = model.featureImportance();
    expect(importance.split.every((s) => s > 0)).toBe(true);
  });

  it('rejects bad parameters with the parameter named', () => {
    expect(() => trainGbdt({ ...train, params: { learningRate: -1 } })).toThrow(/learningRate/);
  });
});
