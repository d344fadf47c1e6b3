// `gyre models ...` as a user runs it: a real CLI process on a database seeded through the
// registry service, on SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArtifactStore } from '../src/artifacts/index.js';
import { migrateToLatest } from '../src/db/index.js';
import { TEST_DIALECTS, createTestDatabase, type TestDatabase } from '../src/db/test-database.js';
import { KyselyRegistryStore, RegistryService } from '../src/registry/index.js';
import { runGyre } from './fixtures/gyre-process.js';

describe.each(TEST_DIALECTS)('gyre models [%s]', (dialect) => {
  let testDb: TestDatabase;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'gyre-models-cli-'));
    testDb = await createTestDatabase(dialect);
    await migrateToLatest(testDb.db);
    const registry = new RegistryService({
      store: new KyselyRegistryStore(testDb.db),
      artifacts: openArtifactStore(join(home, 'artifacts')),
    });
    await registry.createModel({
      name: 'fraud',
      description: 'card fraud',
      tags: { team: 'risk' },
    });
    await registry.createModel({ name: 'churn' });
    await registry.createVersion({ name: 'fraud', source: 's3://models/fraud/1' });
    await registry.createVersion({ name: 'fraud', source: 's3://models/fraud/2' });
    await registry.transitionStage('fraud', 2, 'Production');
  });
  afterAll(async () => {
    await testDb.drop();
    rmSync(home, { recursive: true, force: true });
  });

  const gyre = (...args: string[]) =>
    runGyre(['models', ...args], {
      cwd: home,
      env: { GYRE_HOME: home, GYRE_DATABASE_URL: testDb.url },
    });

  it('lists models as a table and as JSON', async () => {
    const table = await gyre('list');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^NAME\s+LATEST\s+ALIASES\s+UPDATED\s+DESCRIPTION$/,
    );
    expect(table.stdout).toMatch(/fraud\s+2\s+.*card fraud/);
    const json = JSON.parse(
      (await gyre('list', '--filter', "tags.team = 'risk'", '--json')).stdout,
    );
    expect(json.items.map((m: { name: string }) => m.name)).toEqual(['fraud']);
  });

  it('shows a model and its versions', async () => {
    const shown = await gyre('show', 'fraud');
    expect(shown.stdout).toContain('tags:        team=risk');
    expect(shown.stdout).toMatch(/2\s+Production\s+READY/);
    const versions = JSON.parse((await gyre('versions', 'fraud', '--json')).stdout);
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('sets, re-points and deletes an alias', async () => {
    expect((await gyre('alias', 'set', 'fraud', 'champion', '1')).stdout).toBe(
      'fraud@champion → version 1\n',
    );
    const moved = JSON.parse(
      (await gyre('alias', 'set', 'fraud', 'champion', '2', '--json')).stdout,
    );
    expect(moved).toMatchObject({ version: 2, aliases: ['champion'] });
    expect((await gyre('alias', 'delete', 'fraud', 'champion')).stdout).toBe(
      'deleted alias fraud@champion\n',
    );
  });

  it('fails with one line naming the problem', async () => {
    const missing = await gyre('show', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('gyre: Registered Model with name=nope not found\n');
    const reserved = await gyre('alias', 'set', 'fraud', 'latest', '1');
    expect(reserved.code).toBe(1);
    expect(reserved.stderr).toMatch(/^gyre: invalid alias "latest"/);
  });
});
