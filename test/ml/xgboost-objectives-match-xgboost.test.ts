// Issue 8: every XGBoost objective docs/ml.md claims, and native categorical splits
// (enable_categorical, feature_types 'c', hist), imported from models saved by real XGBoost
// as JSON and UBJ, predict what XGBoost's own `predict` returns on the same rows.
import { describe, expect, it } from 'vitest';
import { argmaxRows } from '../../src/ml/index.js';
import { trainXgboostCases } from './xgboost-objectives-reference.js';

const xgb = trainXgboostCases();
const results = { cases: xgb.cases };
const rowsOf = (name: string) => xgb.rows(name);
const bothFormats = (name: string) => xgb.models(name);

/**
 * Worst relative difference. XGBoost sums trees in float32, so its rounding error is
 * absolute in margin space: values near zero are compared against a floor, not ~0.
 */
function worstRelative(actual: ArrayLike<number>, expected: number[], floor: number): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const rel = Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
    worst = Math.max(worst, rel);
  }
  return worst;
}

const TOLERANCE = 1e-5;

// Outputs that are probabilities or margins are compared with a floor of 1 (absolute 1e-5
// below it); positive-valued regressions are relative all the way down.
const PROBABILITY_FLOOR = 1;
const cases: { name: string; floor: number }[] = [
  { name: 'reg_squarederror', floor: 1e-12 },
  { name: 'reg_pseudohubererror', floor: 1 },
  { name: 'reg_absoluteerror', floor: 1 },
  { name: 'reg_squaredlogerror', floor: 1 },
  { name: 'reg_logistic', floor: PROBABILITY_FLOOR },
  { name: 'binary_logistic', floor: PROBABILITY_FLOOR },
  { name: 'binary_logitraw', floor: 1 },
  { name: 'count_poisson', floor: 1e-12 },
  { name: 'reg_gamma', floor: 1e-12 },
  { name: 'reg_tweedie', floor: 1e-12 },
  { name: 'multi_softprob', floor: PROBABILITY_FLOOR },
  { name: 'categorical_partition', floor: 1e-12 },
  { name: 'categorical_onehot', floor: PROBABILITY_FLOOR },
  { name: 'categorical_softprob', floor: PROBABILITY_FLOOR },
  { name: 'categorical_missing', floor: 1e-12 },
];

describe('XGBoost import against real XGBoost, objective by objective', () => {
  for (const { name, floor } of cases) {
    it(`${name}: predictions and margins match XGBoost (JSON and UBJ)`, () => {
      const ref = results.cases[name];
      const x = rowsOf(name);
      for (const model of bothFormats(name)) {
        expect(model.params.xgboostObjective).toBe(ref.objective);
        expect(worstRelative(model.predict(x), ref.pred, floor)).toBeLessThanOrEqual(TOLERANCE);
        expect(worstRelative(model.predictMargin(x), ref.margin, 1)).toBeLessThanOrEqual(TOLERANCE);
        // The allocation-free single-row path agrees with the batch path.
        const out = new Float64Array(model.numOutputs);
        const batch = model.predict(x);
        for (const r of [0, 1, x.numRows - 1]) {
          model.predictRowInto(x.values, out, r * x.numCols);
          for (let j = 0; j < out.length; j++) expect(out[j]).toBe(batch[r * out.length + j]);
        }
      }
    });
  }

  it('binary_hinge: 0/1 predictions match XGBoost exactly', () => {
    const ref = results.cases.binary_hinge;
    const x = rowsOf('binary_hinge');
    for (const model of bothFormats('binary_hinge')) {
      expect(Array.from(model.predict(x))).toEqual(ref.pred);
      expect(worstRelative(model.predictMargin(x), ref.margin, 1)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('multi_softmax: the arg-max of the probabilities is the label XGBoost predicts', () => {
    const ref = results.cases.multi_softmax;
    const x = rowsOf('multi_softmax');
    for (const model of bothFormats('multi_softmax')) {
      const probabilities = model.predict(x);
      expect(Array.from(argmaxRows(probabilities, 3))).toEqual(ref.pred);
      expect(worstRelative(model.predictMargin(x), ref.margin, 1)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('categorical models carry their categorical feature types', () => {
    const [model] = bothFormats('categorical_partition');
    expect(model.features.map((f) => f.type)).toEqual([
      'numeric',
      'numeric',
      'categorical',
      ...new Array<string>(5).fill('numeric'),
      'categorical',
    ]);
    // Partition splits really were imported: some node sends more than one category right.
    const sets = model.ensemble.trees.flatMap((t) => t.categories ?? []).filter((c) => c);
    expect(sets.some((c) => c!.length > 1)).toBe(true);
    // With missing categories in training, some categorical nodes send missing (and so
    // unseen codes) right, which is what makes the edge rows above a real check.
    const [masked] = bothFormats('categorical_missing');
    const missingRight = masked.ensemble.trees.some((t) =>
      t.categories?.some((c, i) => c !== null && !t.defaultLeft[i]),
    );
    expect(missingRight).toBe(true);
  });
});
