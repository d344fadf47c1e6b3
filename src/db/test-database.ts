// Test-only helper (excluded from the build): every store test runs against a fresh
// database on each dialect — a temp SQLite file, and a fresh schema on the real PostgreSQL
// started by scripts/test-services.sh.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import type { Database, Dialect } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openDatabase } from './open-database.js';

export const TEST_DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  db: Database;
  /** The URL the database was opened with (a server under test can open it again). */
  url: string;
  /** Closes the connection and removes the database. */
  drop(): Promise<void>;
}

/** A fresh, empty database's URL, for code that opens the database itself. */
export interface TestDatabaseUrl {
  url: string;
  /** Removes the database; whoever opened it must have closed it. */
  drop(): Promise<void>;
}

/** Reserves a fresh, empty database of the given dialect without opening it. */
export async function createTestDatabaseUrl(dialect: Dialect): Promise<TestDatabaseUrl> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-test-db-'));
    return {
      url: `sqlite:${join(dir, 'gyre.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const problem = inject('postgresProblem');
  if (problem) throw new Error(problem);
  const adminUrl = inject('postgresUrl');
  const schema = `gyre_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    url: `${adminUrl}${adminUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** A fresh, empty (unmigrated) database of the given dialect. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const reserved = await createTestDatabaseUrl(dialect);
  const db = openDatabase(reserved.url, dialect === 'postgres' ? { poolSize: 5 } : {});
  return {
    db,
    url: reserved.url,
    drop: async () => {
      await db.close();
      await reserved.drop();
    },
  };
}

/**
 * Runs a describe block once per dialect; `ctx.db` is a fresh, migrated database for each test.
 *
 *   describeEachDatabase('run store', (ctx) => { it('...', async () => { ctx.db ... }) })
 */
export function describeEachDatabase(
  title: string,
  body: (ctx: { readonly db: Database; readonly url: string; readonly dialect: Dialect }) => void,
): void {
  for (const dialect of TEST_DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let current: TestDatabase | undefined;
      const ctx = {
        dialect,
        get db(): Database {
          if (!current) throw new Error('test database used outside a test');
          return current.db;
        },
        get url(): string {
          if (!current) throw new Error('test database used outside a test');
          return current.url;
        },
      };
      beforeEach(async () => {
        current = await createTestDatabase(dialect);
        await migrateToLatest(current.db);
      });
      afterEach(async () => {
        await current?.drop();
        current = undefined;
      });
      body(ctx);
    });
  }
}
