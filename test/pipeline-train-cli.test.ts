// `gyre train` as a user runs it (the built CLI, no server up): California housing goes through
// validate → split → train → evaluate → register, and the registered model's test RMSE is
// within 3% of real XGBoost's (Debian's python3-xgboost) trained on the same split.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUSING_CSV, REPO_ROOT } from './fixtures/data-files.js';
import { runGyre } from './fixtures/gyre-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gyre-train-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { GYRE_HOME: join(dir, '.gyre') };
const gyre = (...args: string[]) => runGyre(args, { cwd: dir, env });

describe('gyre train on California housing', { timeout: 180_000 }, () => {
  it('registers a model whose test RMSE is within 3% of XGBoost on the same split', async () => {
    expect((await gyre('data', 'add', HOUSING_CSV, '--name', 'housing')).code).toBe(0);
    const train = await gyre(
      'train',
      'housing',
      '--target',
      'median_house_value',
      '--register',
      'housing-model',
      '--alias',
      'champion',
    );
    expect(train.stderr).not.toContain('gyre:');
    expect(train.code).toBe(0);
    expect(train.stderr).toContain('[train] succeeded');
    expect(train.stdout).toContain('model      models:/housing-model/1');
    const rmse = Number(/^rmse\s+(\S+)$/m.exec(train.stdout)?.[1]);
    expect(rmse).toBeGreaterThan(0);

    for (const part of ['train', 'test'])
      expect(
        (await gyre('data', 'get', `housing-${part}@1`, '-o', join(dir, `${part}.csv`))).code,
      ).toBe(0);
    execFileSync('/usr/bin/python3', [
      resolve(REPO_ROOT, 'test/fixtures/xgboost_on_split.py'),
      join(dir, 'train.csv'),
      join(dir, 'test.csv'),
      'median_house_value',
      join(dir, 'xgb.json'),
    ]);
    const reference = JSON.parse(readFileSync(join(dir, 'xgb.json'), 'utf8')) as { rmse: number };
    expect(Math.abs(rmse - reference.rmse) / reference.rmse).toBeLessThan(0.03);

    const models = await gyre('models', 'show', 'housing-model');
    expect(models.stdout).toContain('champion→1');
  });
});
