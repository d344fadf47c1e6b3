import { sql } from 'kysely';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, migrationStatus } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { openDatabase } from './open-database.js';
import { TEST_DIALECTS, createTestDatabase, type TestDatabase } from './test-database.js';

const run = promisify(execFile);

async function migrateInChild(url: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, [
    '--import',
    'tsx',
    'test/fixtures/migrate-once.ts',
    url,
  ]);
  return JSON.parse(stdout) as string[];
}

describe.each(TEST_DIALECTS)('migrations [%s]', (dialect) => {
  let testDb: TestDatabase | undefined;
  afterEach(async () => {
    await testDb?.drop();
    testDb = undefined;
  });

  it('applies every migration once and reports none pending', async () => {
    testDb = await createTestDatabase(dialect);
    expect((await migrationStatus(testDb.db)).pending).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(testDb.db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(testDb.db)).toEqual([]);
    expect(await migrationStatus(testDb.db)).toEqual({
      applied: Object.keys(MIGRATIONS).length,
      pending: [],
    });
    const rows = await testDb.db.kysely.selectFrom('instance').selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it('lets two servers starting together migrate without racing', async () => {
    testDb = await createTestDatabase(dialect);
    const url = testDb.url;
    const [a, b] = await Promise.all([migrateInChild(url), migrateInChild(url)]);
    // Exactly one process applied the migrations; the other found nothing left to do.
    expect([...a, ...b].sort()).toEqual(Object.keys(MIGRATIONS).sort());
    const { rows } = await sql<{ n: number }>`select count(*) as n from instance`.execute(
      testDb.db.kysely,
    );
    expect(Number(rows[0].n)).toBe(1);
  });
});

describe('openDatabase', () => {
  it('names the known schemes when given an unknown one', () => {
    expect(() => openDatabase('mysql://localhost/gyre')).toThrow(
      /unsupported database URL scheme "mysql": use one of sqlite:, postgres:, postgresql:/,
    );
  });
});
