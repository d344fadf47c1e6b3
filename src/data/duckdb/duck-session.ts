import { tmpdir } from 'node:os';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A plain value as Gyre's data code sees it: DuckDB's wide types are narrowed at the door. */
export type SqlValue = null | boolean | number | string | SqlValue[] | { [key: string]: SqlValue };

export type SqlRow = Record<string, SqlValue>;

/** One column of a query result as DuckDB typed it. */
export interface SqlColumn {
  name: string;
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR, TIMESTAMP. */
  type: string;
}

/**
 * A private, in-memory DuckDB for one operation (ingest, profile, validate, transform). Each
 * operation gets its own instance so a failing or slow one never touches another's tables,
 * and closing it frees all memory at once.
 */
export interface SqlSession {
  /** Runs statements whose result is not needed (CREATE, COPY, SET). */
  run(sql: string): Promise<void>;
  /** Runs a query and returns every row, values narrowed to JSON-friendly types. */
  all(sql: string): Promise<SqlRow[]>;
  /** The columns a query would return, without running it. */
  describe(sql: string): Promise<SqlColumn[]>;
  /**
   * Locks the session to the given files: after this, SQL cannot read or write any other path
   * (user SQL in transforms and suites runs only after this). Later calls change nothing.
   */
  confine(allowedPaths: string[]): Promise<void>;
  close(): void;
}

function narrow(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(narrow);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, narrow(v)]));
  }
  return String(value);
}

class DuckSession implements SqlSession {
  private confined = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async all(sql: string): Promise<SqlRow[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader
      .getRowObjectsJS()
      .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, narrow(v)])));
  }

  async describe(sql: string): Promise<SqlColumn[]> {
    const rows = await this.all(`describe ${sql}`);
    return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  async confine(allowedPaths: string[]): Promise<void> {
    // Once locked, the configuration cannot change; a second call keeps the first's paths.
    if (this.confined) return;
    this.confined = true;
    await this.run(`set allowed_paths = [${allowedPaths.map(sqlString).join(', ')}]`);
    await this.run('set enable_external_access = false');
    await this.run('set lock_configuration = true');
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Opens a fresh in-memory DuckDB; large intermediate results spill to the OS temp dir. */
export async function openSqlSession(options: { threads?: number } = {}): Promise<SqlSession> {
  // Loaded on first use: DuckDB takes most of a second to load, which every CLI command that
  // never touches a dataset would otherwise pay.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    temp_directory: tmpdir(),
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  try {
    return new DuckSession(instance, await instance.connect());
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}

/** Runs `work` in a fresh session and always closes it. */
export async function withSqlSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
  const session = await openSqlSession();
  try {
    return await work(session);
  } finally {
    session.close();
  }
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier (column names come from users' files). */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
