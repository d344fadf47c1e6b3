// `gyre features` as a user runs it (the built CLI on a scratch home), following the example
// in docs/features.md: apply the card-transaction definitions, build a training set,
// materialize, read online values, show a view; and a broken definitions file.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/data-files.js';
import { runGyre } from './fixtures/gyre-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'gyre-features-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const gyre = (...args: string[]) => runGyre(args, { cwd, env: { GYRE_HOME: join(cwd, '.gyre') } });
const example = (path: string) => join(REPO_ROOT, 'examples/features', path);

describe('gyre features', { timeout: 240_000 }, () => {
  it('runs the card-transactions example end to end', async () => {
    expect(
      (await gyre('data', 'add', example('data/transactions.csv'), '--name', 'transactions')).code,
    ).toBe(0);

    const plan = await gyre('features', 'apply', example('definitions'), '--plan');
    expect(plan).toMatchObject({ code: 0 });
    expect(plan.stdout).toMatch(/5 added, 0 changed, 0 unchanged \(plan only/);
    const apply = await gyre('features', 'apply', example('definitions'));
    expect(apply.stdout).toMatch(
      /^KIND\s+NAME\s+CHANGE\s+VERSION\nentity\s+customer\s+added\s+1\n/,
    );
    expect((await gyre('features', 'apply', example('definitions'))).stdout).toMatch(
      /0 added, 0 changed, 5 unchanged/,
    );

    const list = await gyre('features', 'list', '--tag', 'window=1h');
    expect(list.stdout).toMatch(/customer_activity_1h\s+1\s+customer\s+2\s+1h\s+fraud-team/);
    expect(list.stdout).not.toMatch(/customer_activity_24h/);

    const set = await gyre(
      'features',
      'training-set',
      '--entities',
      example('data/labels.csv'),
      '--service',
      'fraud_v1',
      '--drop-keys',
      '--output',
      'train.parquet',
    );
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toMatch(/^fraud-v1-training@1: 3281 rows, 7 columns/);
    expect(set.stdout).toMatch(/sources: transactions@1/);
    expect(set.stderr).toMatch(/joining/);
    expect(existsSync(join(cwd, 'train.parquet'))).toBe(true);

    const mat = await gyre('features', 'materialize', '--end', '2026-01-10T20:00:00Z');
    expect(mat.stdout).toMatch(
      /customer_activity_7d\s+60\s+2026-01-10T19:\d\d:\d\dZ\s+2026-01-10T20:00:00Z\s+sql\s+transactions@1/,
    );
    const online = await gyre(
      'features',
      'online',
      '--service',
      'fraud_v1',
      '--entity',
      'C012',
      '--at',
      '2026-01-10T20:00:00Z',
      '--json',
    );
    const values = JSON.parse(online.stdout) as { features: Record<string, number | null> };
    expect(values.features.tx_count_7d).toBeGreaterThan(0);

    // The pipeline step: the same training set from a dataset version of the labels.
    expect((await gyre('data', 'add', example('data/labels.csv'), '--name', 'labels')).code).toBe(
      0,
    );
    const run = await gyre('run', example('pipeline.yaml'));
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/features\s+succeeded/);
    expect(run.stdout).toMatch(/train\s+succeeded/);

    const show = await gyre('features', 'show', 'customer_activity_7d');
    expect(show.stdout).toMatch(/source:\s+sql over transactions → transactions@1/);
    expect(show.stdout).toMatch(/services:\s+fraud_v1/);
    expect(show.stdout).toMatch(/training sets:\s+fraud-v1-training@1/);
    expect(show.stdout).toMatch(/freshness:\s+materialized .*newest value 2026-01-10T19/);
  });

  it('names the file, line and field of every problem, and registers nothing', async () => {
    const dir = join(cwd, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'views.yaml'),
      [
        'kind: entity',
        'name: merchant',
        'joinKeys: [merchant_id]',
        '---',
        'kind: feature_view',
        'name: merchant_stats',
        'entities: [merchant]',
        'source: { dataset: transactions }',
        'timestampColumn: ts',
        'ttl: 3 days',
        'features:',
        '  - { name: amount, type: decimal }',
        '',
      ].join('\n'),
    );
    const result = await gyre('features', 'apply', dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /views\.yaml line 10: merchant_stats\.ttl: must be a positive duration/,
    );
    expect(result.stderr).toMatch(
      /views\.yaml line 12: merchant_stats\.features\[0\]\.type: must be one of double/,
    );
    expect((await gyre('features', 'list', '--entity', 'merchant')).stdout).not.toMatch(
      /merchant_stats/,
    );
  });
});
