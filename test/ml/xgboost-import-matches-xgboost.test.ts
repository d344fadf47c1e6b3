// Issue 5: XGBoost models trained on California housing, saved by real XGBoost as JSON and
// UBJ, predict through Gyre's evaluator to within 1e-5 (relative) of XGBoost's own output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GbdtModel, ModelDirectory } from '../../src/ml/index.js';
import {
  buildModelDirectory,
  importXgboostJson,
  loadModelDirectory,
  parseMlmodel,
  ServableModel,
  importXgboostUbj,
  takeRows,
  trainTestSplit,
} from '../../src/ml/index.js';
import { loadCaliforniaHousing } from './california-housing.js';
import { trainXgboostReference } from './xgboost-reference.js';

const data = loadCaliforniaHousing();
const split = trainTestSplit(data.x.numRows, 0.2, 42);
const testX = takeRows(data.x, split.test);

// XGBoost sums trees in float32, so its rounding error is absolute in margin space; margins
// near zero are compared on a floor of 1 rather than relative to ~0.
function expectClose(actual: Float64Array, expected: number[], floor = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const rel = Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
    worst = Math.max(worst, rel);
  }
  expect(worst).toBeLessThanOrEqual(1e-5);
}

function checkBothFormats(dir: string, pred: number[], check: (m: GbdtModel) => void): void {
  const fromJson = importXgboostJson(readFileSync(join(dir, 'model.json'), 'utf8'));
  const fromUbj = importXgboostUbj(readFileSync(join(dir, 'model.ubj')));
  for (const model of [fromJson, fromUbj]) {
    expectClose(model.predict(testX), pred);
    check(model);
  }
}

describe('XGBoost import', () => {
  it('matches XGBoost regression predictions (JSON and UBJ)', () => {
    const ref = trainXgboostReference(split, 'regression', ['--rounds', '100']);
    checkBothFormats(ref.dir, ref.pred, (model) => {
      // The single-row serving path agrees with the batch path.
      const out = new Float64Array(1);
      const row = Array.from(testX.values.subarray(0, testX.numCols));
      model.predictRowInto(row, out);
      expect(Math.abs(out[0] - ref.pred[0]) / Math.abs(ref.pred[0])).toBeLessThanOrEqual(1e-5);
    });
  });

  it('matches XGBoost binary:logistic probabilities (JSON and UBJ)', () => {
    const ref = trainXgboostReference(split, 'binary', ['--rounds', '100']);
    checkBothFormats(ref.dir, ref.pred, (model) => {
      expectClose(model.predictMargin(testX), ref.margin, 1);
    });
  });

  it('serves an XGBoost model from a model directory with an MLflow xgboost flavor', () => {
    const ref = trainXgboostReference(split, 'regression', ['--rounds', '20']);
    const ubj = readFileSync(join(ref.dir, 'model.ubj'));
    const dir = buildModelDirectory(new ServableModel(importXgboostUbj(ubj)), {
      modelUuid: 'u',
      createdAt: new Date(0),
      xgboost: { bytes: ubj, format: 'ubj', version: '1.7.4' },
    });
    expect(parseMlmodel(dir.get('MLmodel') as string).flavors).toHaveProperty(
      'xgboost.data',
      'model.ubj',
    );
    // As MLflow logs it: only the xgboost flavor, no gyre file.
    const mlflowOnly: ModelDirectory = new Map<string, Uint8Array | string>([
      ['MLmodel', 'flavors:\n  xgboost:\n    data: model.ubj\n    model_format: ubj\n'],
      ['model.ubj', ubj],
    ]);
    expectClose(loadModelDirectory(mlflowOnly).predictMatrix(testX), ref.pred);
  });
});
