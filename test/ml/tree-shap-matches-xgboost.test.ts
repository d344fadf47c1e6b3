// Issue 13: TreeSHAP values and feature importance of imported XGBoost models agree with
// XGBoost's own pred_contribs=True and get_score on the same rows and model (1e-4).
import { describe, expect, it } from 'vitest';
import { takeRows } from '../../src/ml/index.js';
import { trainXgboostCases } from './xgboost-objectives-reference.js';

const xgb = trainXgboostCases();
const SHAP_ROWS = 100;

/**
 * Worst difference relative to the largest value of its row and output. XGBoost computes
 * SHAP in float32, whose rounding error scales with the row's largest terms (the bias is
 * the house value itself), so a small contribution cannot be compared on its own scale.
 */
function worstDifference(actual: ArrayLike<number>, expected: number[], width: number): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let at = 0; at < expected.length; at += width) {
    let scale = 1;
    for (let c = 0; c < width; c++) scale = Math.max(scale, Math.abs(expected[at + c]));
    for (let c = 0; c < width; c++) {
      worst = Math.max(worst, Math.abs(actual[at + c] - expected[at + c]) / scale);
    }
  }
  return worst;
}

describe('TreeSHAP against XGBoost pred_contribs', () => {
  for (const name of [
    'reg_squarederror',
    'binary_logistic',
    'multi_softprob',
    'categorical_partition',
    'categorical_missing',
  ]) {
    it(`${name}: batch and single-row SHAP values match, and sum to the margin`, () => {
      const ref = xgb.cases[name];
      const rows = takeRows(
        xgb.rows(name),
        Int32Array.from({ length: SHAP_ROWS }, (_, i) => i),
      );
      const [model] = xgb.models(name);
      const shap = model.shapValues(rows);
      expect(worstDifference(shap, ref.contribs, rows.numCols + 1)).toBeLessThanOrEqual(1e-4);
      const per = model.numOutputs * (rows.numCols + 1);
      const one = new Float64Array(per);
      model.shapRowInto(rows.values, one, 7 * rows.numCols);
      expect(Array.from(one)).toEqual(Array.from(shap.subarray(7 * per, 8 * per)));
      const margin = model.predictMargin(rows);
      for (let r = 0; r < SHAP_ROWS; r++) {
        for (let j = 0; j < model.numOutputs; j++) {
          const at = (r * model.numOutputs + j) * (rows.numCols + 1);
          const sum = shap.subarray(at, at + rows.numCols + 1).reduce((a, b) => a + b, 0);
          expect(sum).toBeCloseTo(margin[r * model.numOutputs + j], 6);
        }
      }
    });
  }
});

describe('feature importance against XGBoost get_score', () => {
  it('gives XGBoost total_gain, total_cover and weight per feature', () => {
    for (const name of ['reg_squarederror', 'categorical_partition']) {
      const ref = xgb.cases[name].importance;
      const [model] = xgb.models(name);
      const importance = model.featureImportance();
      for (let f = 0; f < 9; f++) {
        const key = `f${f}`;
        expect(importance.split[f]).toBe(ref.weight[key] ?? 0);
        const gain = ref.total_gain[key] ?? 0;
        const cover = ref.total_cover[key] ?? 0;
        expect(Math.abs(importance.gain[f] - gain)).toBeLessThanOrEqual(1e-5 * Math.max(1, gain));
        expect(Math.abs(importance.cover[f] - cover)).toBeLessThanOrEqual(
          1e-5 * Math.max(1, cover),
        );
      }
    }
  });
});
