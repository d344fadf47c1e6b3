import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDialectConfig,
} from 'kysely';
import type { Database, FoundationTables } from '../database.js';
import { withStatementCache } from './statement-cache.js';

/**
 * Opens a SQLite database for Gyre: WAL so readers never block the writer, a busy timeout so
 * concurrent writers wait instead of failing, and foreign keys on (off by default in SQLite).
 */
export function openSqlite(url: string): Database {
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(inMemory ? ':memory:' : path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const kysely = new Kysely<FoundationTables>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    dialect: 'sqlite',
    kysely,
    displayUrl: `sqlite:${inMemory ? ':memory:' : path}`,
    close: () => kysely.destroy(),
  };
}

/**
 * Transactions begin IMMEDIATE, taking the write lock up front. A deferred transaction that
 * reads and then writes fails at once with "database is locked" when another connection (a
 * pipeline step's worker thread, another process) committed in between: SQLite cannot wait
 * its way out of that, so the busy timeout never applies. Taking the lock first makes every
 * writer wait its turn instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly driverConfig: SqliteDialectConfig) {
    super(driverConfig);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.driverConfig);
  }
}
