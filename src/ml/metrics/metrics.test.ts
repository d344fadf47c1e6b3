import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, logloss, precisionRecallF1 } from './classification-metrics.js';
import { calibrationBins, prAuc, rocAuc } from './ranking-metrics.js';
import { mae, mape, r2, rmse } from './regression-metrics.js';

describe('regression metrics', () => {
  it('computes RMSE, MAE, R² and MAPE', () => {
    const y = [1, 2, 3, 4];
    const p = [1, 2, 4, 2];
    expect(rmse(y, p)).toBeCloseTo(Math.sqrt(5 / 4));
    expect(mae(y, p)).toBeCloseTo(3 / 4);
    expect(r2(y, p)).toBeCloseTo(1 - 5 / 5);
    expect(mape(y, p)).toBeCloseTo((0 + 0 + 1 / 3 + 2 / 4) / 4);
  });

  it('rejects mismatched lengths', () => {
    expect(() => rmse([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('classification metrics', () => {
  const y = [0, 0, 1, 1];
  const score = [0.1, 0.4, 0.35, 0.8];

  it('matches scikit-learn on the classic ROC example', () => {
    expect(rocAuc(y, score)).toBeCloseTo(0.75);
    expect(prAuc(y, score)).toBeCloseTo(0.8333333);
  });

  it('counts ties as half in ROC AUC', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBeCloseTo(0.5);
  });

  it('computes logloss, accuracy, confusion matrix and F1', () => {
    expect(logloss([1, 0], [0.9, 0.1])).toBeCloseTo(-Math.log(0.9));
    const pred = [0, 1, 1, 1];
    expect(accuracy(y, pred)).toBe(0.75);
    expect(confusionMatrix(y, pred, 2)).toEqual([
      [1, 1],
      [0, 2],
    ]);
    const binary = precisionRecallF1(y, pred);
    expect(binary.precision).toBeCloseTo(2 / 3);
    expect(binary.recall).toBe(1);
    expect(binary.f1).toBeCloseTo(0.8);
    const macro = precisionRecallF1(y, pred, 2, 'macro');
    expect(macro.precision).toBeCloseTo((1 + 2 / 3) / 2);
    expect(precisionRecallF1(y, pred, 2, 'micro').f1).toBe(0.75);
  });

  it('bins probabilities for calibration', () => {
    const bins = calibrationBins([0, 1, 1], [0.05, 0.95, 0.91], 10);
    expect(bins).toHaveLength(2);
    expect(bins[1]).toMatchObject({ count: 2, fractionPositive: 1 });
  });
});
