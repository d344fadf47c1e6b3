// Runs the committed XGBoost training script (real XGBoost, Debian's python3-xgboost) into
// a temp dir on a split chosen here, so both sides score the same rows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOUSING_CSV, REPO_ROOT } from '../fixtures/data-files.js';

export interface XgboostReference {
  dir: string;
  train_seconds: number;
  pred: number[];
  margin: number[];
  rmse?: number;
  auc?: number;
}

export function trainXgboostReference(
  split: { train: ArrayLike<number>; test: ArrayLike<number> },
  task: 'regression' | 'binary',
  extraArgs: string[] = [],
): XgboostReference {
  const dir = mkdtempSync(join(tmpdir(), `gyre-xgb-${task}-`));
  const splitPath = join(dir, 'split.json');
  writeFileSync(
    splitPath,
    JSON.stringify({ train: Array.from(split.train), test: Array.from(split.test) }),
  );
  execFileSync(
    '/usr/bin/python3',
    [
      resolve(REPO_ROOT, 'test/ml/fixtures/train_xgboost.py'),
      '--csv',
      HOUSING_CSV,
      '--split',
      splitPath,
      '--out',
      dir,
      '--task',
      task,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return { dir, ...JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) };
}
