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

describe('trainGbdt growth policies, classes and early stopping', () => {
  const train = synthetic(1500, 4);
  const valid = synthetic(400, 5);

  it('grows leaf-wise to exactly maxLeaves leaves', () => {
    const model = trainGbdt({
      ...train,
      params: { growPolicy: 'lossguide', maxLeaves: 7, maxDepth: 0, numRounds: 5 },
    });
    for (const tree of model.ensemble.trees) {
      expect(tree.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(7);
    }
    expect(model.ensemble.trees[0].feature.filter((f) => f < 0).length).toBe(7);
  });

  it('trains multiclass softmax into probabilities that sum to one', () => {
    const y = train.y.map((v) => (v < 1 ? 0 : v < 2 ? 1 : 2));
    const model = trainGbdt({
      x: train.x,
      y,
      params: { objective: 'multiclass_softmax', numClass: 3, numRounds: 30 },
    });
    const prob = model.predict(valid.x);
    expect(prob.length).toBe(valid.x.numRows * 3);
    expect(prob[0] + prob[1] + prob[2]).toBeCloseTo(1, 12);
    let correct = 0;
    const yv = valid.y.map((v) => (v < 1 ? 0 : v < 2 ? 1 : 2));
    for (let i = 0; i < yv.length; i++) {
      const row = Array.from(prob.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === yv[i]) correct++;
    }
    expect(correct / yv.length).toBeGreaterThan(0.85);
  });

  it('stops early and keeps the best iteration', () => {
    const rounds: number[] = [];
    const model = trainGbdt({
      ...train,
      validation: valid,
      params: { numRounds: 500, learningRate: 0.5, earlyStoppingRounds: 5 },
      onRound: (r) => rounds.push(r),
    });
    expect(rounds.length).toBeLessThan(500);
    expect(model.bestIteration).not.toBeNull();
    expect(model.ensemble.trees.length).toBe(model.bestIteration! + 1);
    const best = Math.min(...model.history!.validation);
    expect(model.history!.validation[model.bestIteration!]).toBe(best);
  });

  it('fits huber and absolute error', () => {
    for (const objective of ['huber', 'absolute_error'] as const) {
      const model = trainGbdt({
        ...train,
        params: { objective, numRounds: 80, learningRate: 0.2 },
      });
      expect(rmse(valid.y, model.predict(valid.x))).toBeLessThan(0.3);
    }
  });
});
