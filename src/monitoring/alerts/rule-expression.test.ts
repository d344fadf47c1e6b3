// Alert conditions: parsed once (bad ones refused with a reason), evaluated over a stored
// window result; a value the window lacks never holds.
import { describe, expect, it } from 'vitest';
import type { MonitorResult } from '../monitors/monitor-types.js';
import { evaluateRule, parseRuleExpression } from './rule-expression.js';

const result = {
  driftShare: 0.6,
  datasetDrift: true,
  rows: 1000,
  features: [
    { feature: 'income', test: 'wasserstein', score: 0.3, threshold: 0.1, drifted: true },
    { feature: 'age', test: 'wasserstein', score: 0.01, threshold: 0.1, drifted: false },
  ],
  prediction: { feature: 'prediction', test: 'ks', score: 0.2, threshold: 0.05, drifted: false },
  quality: {
    rows: 1000,
    columns: [{ column: 'age', nullRate: 0.25, unreadable: 0 }],
    schema: { missing: ['x'], extra: [], wrongType: [] },
  },
  realized: { labelledRows: 300, metrics: { rmse: 0.7 }, byModelVersion: {} },
} as unknown as MonitorResult;

const holds = (text: string) => evaluateRule(parseRuleExpression(text), result);

describe('alert rule expressions', () => {
  it('compares window values, flags and conjunctions', () => {
    expect(holds('drift_share >= 0.5')).toEqual({ held: true, value: 0.6 });
    expect(holds('drift_share < 0.5').held).toBe(false);
    expect(holds('dataset_drift')).toEqual({ held: true, value: true });
    expect(holds('feature.income.drifted')).toEqual({ held: true, value: true });
    expect(holds('feature.age.drifted').held).toBe(false);
    expect(holds('feature.income.score > 0.25 and realized.rmse > 0.6')).toEqual({
      held: true,
      value: 0.3,
    });
    expect(holds('realized.rmse > 0.6 and labelled_rows >= 500').held).toBe(false);
    expect(holds('prediction.drifted == false').held).toBe(true);
    expect(holds('quality.age.null_rate > 0.2').held).toBe(true);
    expect(holds('schema_violations >= 1')).toEqual({ held: true, value: 1 });
    expect(holds('drifted_features == 1').held).toBe(true);
  });

  it('never holds on a value the window lacks', () => {
    expect(holds('realized.auc < 0.7')).toEqual({ held: false, value: null });
    expect(holds('feature.nope.drifted')).toEqual({ held: false, value: null });
    expect(holds('cost_per_1k_usd > 0').held).toBe(false);
  });

  it('refuses what it cannot read, saying what to write', () => {
    expect(() => parseRuleExpression('drift_share >>= 1')).toThrow(/cannot read/);
    expect(() => parseRuleExpression('drift_share >= x')).toThrow(/cannot read/);
    expect(() => parseRuleExpression('bogus > 1')).toThrow(/unknown value bogus/);
    expect(() => parseRuleExpression('feature.income.mean > 1')).toThrow(/unknown value/);
  });
});
