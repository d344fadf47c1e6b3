import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../dense-matrix.js';
import { SeededRandom } from '../random.js';
import { trainLinearRegression, trainLogisticRegression } from './train-linear.js';

const rng = new SeededRandom(11);
const n = 500;
const a = Float64Array.from({ length: n }, () => rng.next() * 2 - 1);
const b = Float64Array.from({ length: n }, () => rng.next() * 2 - 1);
const noise = Float64Array.from({ length: n }, () => rng.next() - 0.5);
const x = matrixFromColumns([a, b]);

describe('linear models', () => {
  it('recovers least-squares coefficients with alpha 0', () => {
    const y = a.map((v, i) => 3 * v - 2 * b[i] + 1);
    const m = trainLinearRegression(x, y, { alpha: 0 });
    expect(m.weights[0]).toBeCloseTo(3, 4);
    expect(m.weights[1]).toBeCloseTo(-2, 4);
    expect(m.intercept).toBeCloseTo(1, 4);
  });

  it('shrinks with ridge and zeroes weak features with lasso', () => {
    const y = a.map((v, i) => 3 * v + 0.01 * b[i] + noise[i]);
    const ridge = trainLinearRegression(x, y, { alpha: 1 });
    expect(ridge.weights[0]).toBeLessThan(3);
    const lasso = trainLinearRegression(x, y, { alpha: 0.1, l1Ratio: 1 });
    expect(lasso.weights[1]).toBe(0);
    expect(lasso.weights[0]).toBeGreaterThan(2);
  });

  it('fits logistic regression and honours balanced class weights', () => {
    const y = a.map((v, i) => (v + 0.3 * noise[i] > 0.6 ? 1 : 0));
    const plain = trainLogisticRegression(x, y);
    const balanced = trainLogisticRegression(x, y, { classWeight: 'balanced' });
    const meanProb = (p: Float64Array): number => p.reduce((s, v) => s + v, 0) / p.length;
    // Up-weighting the rare positives raises predicted probabilities overall.
    expect(meanProb(balanced.predict(x))).toBeGreaterThan(meanProb(plain.predict(x)));
    expect(plain.weights[0]).toBeGreaterThan(1);
  });

  it('refuses missing inputs with a fix in the message', () => {
    expect(() => trainLinearRegression(matrixFromColumns([[1, NaN]]), [1, 2])).toThrow(/impute/);
  });
});
