import { Migrator, sql, type MigrationResultSet } from 'kysely';
import { UnavailableError } from '../core/index.js';
import type { Database } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

const MIGRATION_TABLE = 'gyre_migrations';
const MIGRATION_LOCK_TABLE = 'gyre_migrations_lock';

async function migratorFor(db: Database): Promise<Migrator> {
  // Kysely looks for its migration tables in every schema it can see unless told which one;
  // on a PostgreSQL shared by several schemas (tests, tenants) it would find another
  // schema's table and skip creating its own. Pin it to the connection's current schema.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely))
          .rows[0]?.schema
      : undefined;
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(schema ? { migrationTableSchema: schema } : {}),
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
  let { error, results } = await runLocked(db);
  // Kysely's PostgreSQL introspection reads every schema in the catalog; a schema another
  // client drops at that moment (parallel test runs, tenant teardown) fails it with 3F000
  // before anything was applied. That is not our failure: look again.
  for (let attempt = 1; error && isSchemaDroppedMeanwhile(error) && attempt < 5; attempt++) {
    ({ error, results } = await runLocked(db));
  }
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

function isSchemaDroppedMeanwhile(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '3F000';
}

function appliedNames(results: MigrationResultSet['results']): string[] {
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface MigrationStatus {
  applied: number;
  pending: string[];
}

export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  let migrations;
  for (let attempt = 1; ; attempt++) {
    try {
      migrations = await (await migratorFor(db)).getMigrations();
      break;
    } catch (error) {
      // The same catalog race as in migrateToLatest.
      if (!isSchemaDroppedMeanwhile(error) || attempt >= 5) throw error;
    }
  }
  return {
    applied: migrations.filter((m) => m.executedAt).length,
    pending: migrations.filter((m) => !m.executedAt).map((m) => m.name),
  };
}
