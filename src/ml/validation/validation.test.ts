import { describe, expect, it } from 'vitest';
import {
  parseValidationSuite,
  runValidationSuite,
  validationMetric,
  type ValidationTable,
} from '../index.js';

// A price that rises with income and, unfairly, with the region's index.
const regions = ['a', 'b', 'c', 'd'];
const table: ValidationTable = {
  names: ['income', 'region'],
  columns: [
    Array.from({ length: 200 }, (_, i) => i % 50),
    Array.from({ length: 200 }, (_, i) => regions[i % 4]),
  ],
  numRows: 200,
};
const predict = (t: ValidationTable) =>
  Float64Array.from({ length: t.numRows }, (_, r) => {
    const income = t.columns[0][r] as number;
    return 2 * income + regions.indexOf(t.columns[1][r] as string) * 10;
  });
// Truth: the model is exact except in region d, where it is off by 40.
const y = Float64Array.from(predict(table), (p, r) => (table.columns[1][r] === 'd' ? p + 40 : p));
const rmse = validationMetric('rmse')!;

describe('model validation suites', () => {
  it('flags the slice worse than the whole, the moving invariance and keeps what holds', () => {
    const report = runValidationSuite(
      parseValidationSuite({
        slices: { columns: ['region'], threshold: 5 },
        invariance: [
          { column: 'region', values: ['a'], tolerance: 0.5 },
          { column: 'income', values: [10], tolerance: 1000 },
        ],
        directional: [
          { column: 'income', shift: 5, expect: 'increase' },
          { column: 'income', shift: 5, expect: 'decrease' },
        ],
      }),
      { table, y, predict, metric: rmse },
    );
    expect(report.slices.filter((s) => s.flagged).map((s) => s.value)).toEqual(['d']);
    expect(report.invariance.map((t) => [t.column, t.passed, t.violations])).toEqual([
      ['region', false, 150],
      ['income', true, 0],
    ]);
    expect(report.directional.map((t) => t.passed)).toEqual([true, false]);
    expect(report.passed).toBe(false);
    expect(report.failures).toHaveLength(3);
    expect(report.failures[1]).toMatch(/^invariance region → a: 150 of 200 predictions moved/);
  });

  it('compares with a baseline within a relative tolerance', () => {
    const worse = Float64Array.from(y, (v) => v + 30);
    const suite = parseValidationSuite({ baseline: { tolerance: 0.1 } });
    const beaten = runValidationSuite(suite, {
      table,
      y,
      predict,
      metric: rmse,
      baselinePredictions: worse,
    });
    expect(beaten.baseline).toMatchObject({ passed: true });
    const lost = runValidationSuite(suite, {
      table,
      y: worse,
      predict,
      metric: rmse,
      baselinePredictions: worse,
    });
    expect(lost.baseline).toMatchObject({ passed: false });
    expect(lost.failures[0]).toMatch(/^minimum performance: rmse/);
  });

  it('names the field of a suite that is wrong', () => {
    expect(() => parseValidationSuite({ invariance: [{ column: 'x' }] })).toThrow(
      'suite.invariance[0].tolerance: must be a number',
    );
    expect(() =>
      parseValidationSuite({ directional: [{ column: 'x', shift: 1, expect: 'up' }] }),
    ).toThrow(/expect: must be increase or decrease/);
    expect(() => parseValidationSuite({ fairness: {} })).toThrow(/suite.fairness: unknown check/);
  });
});
