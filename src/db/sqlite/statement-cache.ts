import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Enough for every distinct statement Gyre issues; beyond it the oldest is dropped. */
const DEFAULT_CAPACITY = 500;

interface PreparingDatabase {
  prepare(sql: string): SqliteStatement & { busy?: boolean };
  close(): unknown;
}

/**
 * Kysely's SQLite driver prepares every statement anew, which costs more than running it on
 * the hot paths (log-metric, prediction logging). This keeps prepared statements by SQL text.
 * A statement still being iterated (a streamed query) is busy and cannot be reused, so a fresh
 * one is prepared for that call instead.
 */
export function withStatementCache(
  database: PreparingDatabase,
  capacity = DEFAULT_CAPACITY,
): SqliteDatabase {
  const cache = new Map<string, SqliteStatement & { busy?: boolean }>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (sql) => {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = database.prepare(sql);
      if (!cached) {
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
