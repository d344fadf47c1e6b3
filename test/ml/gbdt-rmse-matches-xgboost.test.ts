// Issue 5's accuracy bar: on California housing (80/20 split, seed 42, 300 trees, depth 6,
// learning rate 0.1, 256 bins) Gyre's test RMSE is within 2% of XGBoost hist's.
import { describe, expect, it } from 'vitest';
import { rmse, takeRows, takeValues, trainGbdt, trainTestSplit } from '../../src/ml/index.js';
import { loadCaliforniaHousing } from './california-housing.js';
import { trainXgboostReference } from './xgboost-reference.js';

describe('GBDT on California housing against XGBoost hist', () => {
  it('has a test RMSE within 2% of XGBoost with the same settings', { timeout: 120_000 }, () => {
    const data = loadCaliforniaHousing();
    const split = trainTestSplit(data.x.numRows, 0.2, 42);
    const reference = trainXgboostReference(split, 'regression');
    const model = trainGbdt({
      x: takeRows(data.x, split.train),
      y: takeValues(data.y, split.train),
      params: { numRounds: 300, maxDepth: 6, learningRate: 0.1, maxBins: 256, seed: 42 },
    });
    const ours = rmse(takeValues(data.y, split.test), model.predict(takeRows(data.x, split.test)));
    expect(reference.rmse).toBeGreaterThan(0);
    expect(Math.abs(ours - reference.rmse!) / reference.rmse!).toBeLessThan(0.02);
  });
});
