// Issue 5: Gyre's L2 logistic regression (behind its impute / standardize / one-hot
// pipeline) reaches a test ROC AUC within 0.005 of scikit-learn's on the same data.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawValue } from '../../src/ml/index.js';
import {
  fitPreprocessor,
  rocAuc,
  ServableModel,
  trainLogisticRegression,
  trainTestSplit,
} from '../../src/ml/index.js';
import { HOUSING_CSV, REPO_ROOT } from '../fixtures/data-files.js';
import { NUMERIC_COLUMNS, loadCaliforniaHousing } from './california-housing.js';

describe('logistic regression on California housing against scikit-learn', () => {
  it('has a test ROC AUC within 0.005 of LogisticRegression(C=1)', () => {
    const data = loadCaliforniaHousing();
    const split = trainTestSplit(data.x.numRows, 0.2, 42);
    const dir = mkdtempSync(join(tmpdir(), 'gyre-sklearn-'));
    writeFileSync(
      join(dir, 'split.json'),
      JSON.stringify({ train: [...split.train], test: [...split.test] }),
    );
    const reference = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [
          resolve(REPO_ROOT, 'test/ml/fixtures/sklearn_logistic.py'),
          '--csv',
          HOUSING_CSV,
          '--split',
          join(dir, 'split.json'),
        ],
        { encoding: 'utf8' },
      ),
    ) as { auc: number };

    const pick = <T>(values: ArrayLike<T>, idx: Int32Array): T[] =>
      Array.from(idx, (i) => values[i]);
    const trainValues = Float64Array.from(split.train, (i) => data.y[i]).sort();
    const median =
      (trainValues[(trainValues.length >> 1) - 1] + trainValues[trainValues.length >> 1]) / 2;
    const label = (idx: Int32Array): number[] => pick(data.y, idx).map((v) => (v > median ? 1 : 0));
    const columns = (idx: Int32Array): RawValue[][] => [
      ...NUMERIC_COLUMNS.map((c) =>
        pick(data.columns[c], idx).map((v) => (Number.isNaN(v) ? null : v)),
      ),
      pick(data.oceanProximity, idx),
    ];
    const names = [...NUMERIC_COLUMNS, 'ocean_proximity'];
    const trainCols = columns(split.train);
    const pre = fitPreprocessor(
      names.map((name, i) => ({ name, values: trainCols[i] })),
      { impute: 'mean', standardize: true, categorical: 'onehot' },
    );
    const logistic = trainLogisticRegression(pre.transformColumns(trainCols), label(split.train), {
      c: 1,
      features: pre.outputFeatures,
    });
    const model = new ServableModel(logistic, pre);
    const auc = rocAuc(label(split.test), model.predictColumns(columns(split.test)));
    expect(reference.auc).toBeGreaterThan(0.8);
    expect(Math.abs(auc - reference.auc)).toBeLessThan(0.005);
  });
});
