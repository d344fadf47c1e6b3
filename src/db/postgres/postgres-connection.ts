import pg from 'pg';
import { Kysely, PostgresDialect, type DatabaseIntrospector } from 'kysely';
import type { Database, FoundationTables } from '../database.js';
import { maskUrlPassword } from '../../core/index.js';
import { CurrentSchemaIntrospector } from './current-schema-introspector.js';

// int8 columns hold epoch milliseconds and counters, all far below 2^53: read them as numbers
// so both dialects hand the domain the same JavaScript types.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));

/** PostgreSQL, introspecting only the connection's own schema (see CurrentSchemaIntrospector). */
class GyrePostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

export interface PostgresOptions {
  poolSize: number;
}

export function openPostgres(url: string, options: PostgresOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const kysely = new Kysely<FoundationTables>({ dialect: new GyrePostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    kysely,
    displayUrl: maskUrlPassword(url),
    close: () => kysely.destroy(),
  };
}
