import { Migrator, sql, type MigrationResultSet } from 'kysely';
import { UnavailableError } from '../core/index.js';
import { connectionFailure } from './connection-error.js';
import type { Database } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

const MIGRATION_TABLE = 'gyre_migrations';
const MIGRATION_LOCK_TABLE = 'gyre_migrations_lock';

/**
 * On PostgreSQL the migration tables are pinned to the connection's current schema: Kysely
 * otherwise looks for them in every schema, so a database sharing a server with another Gyre
 * schema (as the tests do) would think its own tables exist when they do not.
 */
async function migratorFor(db: Database): Promise<Migrator> {
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
      : undefined;
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    migrationTableSchema: schema,
    // SQLite gets its transaction from migrateToLatest (see there).
    disableTransactions: db.dialect === 'sqlite',
  });
}

/**
 * Kysely's SQLite "lock" only guards one connection; two processes sharing a file would both
 * see the same pending migrations. BEGIN IMMEDIATE takes SQLite's write lock up front, so the
 * second process waits (busy timeout) and then finds nothing left to apply.
 */
async function runLocked(db: Database): Promise<MigrationResultSet> {
  const migrator = await migratorFor(db);
  if (db.dialect !== 'sqlite') return migrator.migrateToLatest();
  await sql`begin immediate`.execute(db.kysely);
  const result = await migrator.migrateToLatest();
  await sql.raw(result.error ? 'rollback' : 'commit').execute(db.kysely);
  return result;
}

/**
 * Applies every pending migration in one transaction, under a lock (a PostgreSQL advisory
 * lock taken by Kysely's migrator; SQLite's write lock), so servers that start together never
 * apply the same migration twice.
 */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const { error, results } = await runLocked(db).catch((failure: unknown) => {
    throw connectionFailure(failure, db.displayUrl) ?? failure;
  });
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new UnavailableError(
      `database migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`.replace(
        '  ',
        ' ',
      ),
      {},
      { cause: error },
    );
  }
  return appliedNames(results);
}

function appliedNames(results: MigrationResultSet['results']): string[] {
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface MigrationStatus {
  applied: number;
  pending: string[];
}

export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const migrations = await (await migratorFor(db)).getMigrations();
  return {
    applied: migrations.filter((m) => m.executedAt).length,
    pending: migrations.filter((m) => !m.executedAt).map((m) => m.name),
  };
}
