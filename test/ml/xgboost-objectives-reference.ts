// Runs test/ml/fixtures/xgboost_objectives.py (real XGBoost, Debian's python3-xgboost) into
// a temp dir, on the split chosen here, and reads back what it wrote. The suites that need
// it share one run: the output lands in a directory named after the script's hash and the
// rounds, and whoever finishes first publishes it with an atomic rename.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DenseMatrix, GbdtModel } from '../../src/ml/index.js';
import {
  denseMatrix,
  importXgboostJson,
  importXgboostUbj,
  trainTestSplit,
} from '../../src/ml/index.js';
import { HOUSING_CSV, REPO_ROOT } from '../fixtures/data-files.js';

export interface CaseResult {
  objective: string;
  num_rows: number;
  pred: number[];
  margin: number[];
  /** pred_contribs=True for the first rows: (rows, [classes,] features + 1), flattened. */
  contribs: number[];
  /** get_score by kind, keyed f0, f1, … (features never split on are absent). */
  importance: Record<'weight' | 'total_gain' | 'total_cover', Record<string, number>>;
}

export interface XgboostCases {
  dir: string;
  cases: Record<string, CaseResult>;
  /** The rows XGBoost predicted for a case (9 float32 features). */
  rows(name: string): DenseMatrix;
  /** The case's model, imported from JSON and from UBJ. */
  models(name: string): GbdtModel[];
}

export function trainXgboostCases(rounds = 30): XgboostCases {
  const script = resolve(REPO_ROOT, 'test/ml/fixtures/xgboost_objectives.py');
  const hash = createHash('sha256')
    .update(readFileSync(script))
    .update(readFileSync(HOUSING_CSV))
    .update(String(rounds))
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), `gyre-xgb-objectives-${hash}`);
  if (!existsSync(join(dir, 'result.json'))) {
    const work = mkdtempSync(join(tmpdir(), 'gyre-xgb-objectives-run-'));
    const split = trainTestSplit(20640, 0.2, 42);
    writeFileSync(
      join(work, 'split.json'),
      JSON.stringify({ train: Array.from(split.train), test: Array.from(split.test) }),
    );
    execFileSync(
      '/usr/bin/python3',
      [
        script,
        ...['--csv', HOUSING_CSV, '--split', join(work, 'split.json'), '--out', work],
        ...['--rounds', String(rounds)],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    try {
      renameSync(work, dir);
    } catch {
      // Another suite published the same output first; use theirs.
      rmSync(work, { recursive: true, force: true });
    }
  }
  const { cases } = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as {
    cases: Record<string, CaseResult>;
  };
  return {
    dir,
    cases,
    rows(name) {
      const bytes = readFileSync(join(dir, name, 'rows.f32'));
      const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      return denseMatrix(values.slice(), cases[name].num_rows, 9);
    },
    models(name) {
      return [
        importXgboostJson(readFileSync(join(dir, name, 'model.json'), 'utf8')),
        importXgboostUbj(readFileSync(join(dir, name, 'model.ubj'))),
      ];
    },
  };
}
