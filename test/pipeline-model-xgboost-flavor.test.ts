// The XGBoost flavor of models pipelines log: a Gyre GBDT exported as XGBoost JSON and loaded
// by real XGBoost (Debian's python3-xgboost) predicts what Gyre predicts, to 1e-5 relative,
// native categorical splits included — for regression, binary and multiclass models.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportXgboostJson,
  takeRows,
  takeValues,
  trainGbdt,
  type GbdtModel,
  type GbdtParams,
} from '../src/ml/index.js';
import { REPO_ROOT } from './fixtures/data-files.js';
import { loadCaliforniaHousing } from './ml/california-housing.js';

const data = loadCaliforniaHousing();
const rows = Array.from({ length: 2000 }, (_, i) => i * 10);
const x = takeRows(data.x, rows);

function xgboostPredictions(model: GbdtModel): { pred: number[]; version: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-xgb-export-'));
  writeFileSync(join(dir, 'model.json'), exportXgboostJson(model));
  const matrix = Array.from({ length: x.numRows }, (_, r) =>
    Array.from(x.values.subarray(r * x.numCols, (r + 1) * x.numCols), (v) =>
      Number.isNaN(v) ? null : v,
    ),
  );
  const featureTypes = model.features.map((f) => (f.type === 'categorical' ? 'c' : 'q'));
  writeFileSync(
    join(dir, 'rows.json'),
    JSON.stringify({ rows: matrix, feature_types: featureTypes }),
  );
  execFileSync('/usr/bin/python3', [
    resolve(REPO_ROOT, 'test/fixtures/xgboost_predict.py'),
    join(dir, 'model.json'),
    join(dir, 'rows.json'),
    join(dir, 'out.json'),
  ]);
  return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
    pred: number[];
    version: string;
  };
}

function expectSamePredictions(model: GbdtModel): void {
  const ours = model.predict(x);
  const theirs = xgboostPredictions(model);
  expect(theirs.pred).toHaveLength(ours.length);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i] - theirs.pred[i]) / Math.max(Math.abs(ours[i]), 1e-2));
  }
  expect(worst).toBeLessThan(1e-5);
}

const train = (y: ArrayLike<number>, params: Partial<GbdtParams>) =>
  trainGbdt({
    x,
    y: takeValues(y, rows),
    features: data.features,
    params: { numRounds: 40, maxDepth: 5, seed: 1, ...params },
  });

describe('Gyre GBDT exported as XGBoost JSON, evaluated by real XGBoost', () => {
  it('regression with native categorical splits', () => {
    const model = train(data.y, { maxCatToOnehot: 1 });
    expect(model.ensemble.hasCategorical).toBe(true);
    expectSamePredictions(model);
  });

  it('binary classification', () => {
    const median = [...data.y].sort((a, b) => a - b)[data.y.length >> 1];
    expectSamePredictions(
      train(
        Float64Array.from(data.y, (v) => (v > median ? 1 : 0)),
        { objective: 'binary_logloss' },
      ),
    );
  });

  it('multiclass, whose per-class starting margins fold into the first trees', () => {
    const y = Float64Array.from(data.y, (v) => (v < 120_000 ? 0 : v < 250_000 ? 1 : 2));
    expectSamePredictions(
      train(y, { objective: 'multiclass_softmax', numClass: 3, numRounds: 15 }),
    );
  });
});
