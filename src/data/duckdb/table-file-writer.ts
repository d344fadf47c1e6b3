import { tmpdir } from 'node:os';
import type {
  DuckDBAppender,
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import { sqlIdent, sqlString } from './duck-session.js';

/** Column types a table can be written with; TIMESTAMP_MS takes epoch milliseconds. */
export type TableColumnType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN' | 'TIMESTAMP_MS';

export interface TableColumn {
  name: string;
  type: TableColumnType;
  /** One value per row; null (or NaN for numbers) is NULL. */
  values: ArrayLike<string | number | boolean | null | undefined>;
}

/** Output formats, by what DuckDB's COPY writes. */
export type TableFileFormat = 'parquet' | 'csv' | 'ndjson';

const CHUNK = 2048;

const COPY_OPTIONS: Record<TableFileFormat, string> = {
  parquet: "format parquet, compression 'zstd'",
  csv: "format csv, header true, delimiter ','",
  ndjson: 'format json',
};

/**
 * Builds a table from columns in memory and writes it to a file in one go, through an
 * appender (chunks of 2,048 rows) and DuckDB's COPY. One private DuckDB per writer; callers
 * append as many batches as they like, then `finish`.
 */
export class TableFileWriter {
  private rows = 0;

  private constructor(
    private readonly columns: readonly { name: string; type: TableColumnType }[],
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
    private readonly types: DuckDBType[],
    private readonly newChunk: (types: DuckDBType[], size: number) => DuckDBDataChunk,
  ) {}

  static async open(
    columns: readonly { name: string; type: TableColumnType }[],
  ): Promise<TableFileWriter> {
    // Loaded on first use, like every DuckDB entry point: most commands never need it.
    const api = await import('@duckdb/node-api');
    const instance = await api.DuckDBInstance.create(':memory:', {
      temp_directory: tmpdir(),
      threads: '1',
    });
    try {
      const connection = await instance.connect();
      const staged = columns.map(
        (c) => `${sqlIdent(c.name)} ${c.type === 'TIMESTAMP_MS' ? 'DOUBLE' : c.type}`,
      );
      await connection.run(`create table t (${staged.join(', ')})`);
      const types = columns.map((c) =>
        c.type === 'VARCHAR'
          ? api.VARCHAR
          : c.type === 'INTEGER'
            ? api.INTEGER
            : c.type === 'BOOLEAN'
              ? api.BOOLEAN
              : api.DOUBLE,
      );
      return new TableFileWriter(
        columns,
        instance,
        connection,
        await connection.createAppender('t'),
        types,
        (t, n) => api.DuckDBDataChunk.create(t, n),
      );
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  /** Appends rows given as columns (same order and types as at open). */
  append(values: readonly TableColumn['values'][]): void {
    const n = values[0]?.length ?? 0;
    for (let start = 0; start < n; start += CHUNK) {
      const size = Math.min(CHUNK, n - start);
      const chunk = this.newChunk(this.types, size);
      this.columns.forEach((column, c) => {
        const source = values[c];
        const slice = new Array<DuckDBValue>(size);
        for (let i = 0; i < size; i++) {
          const v = source[start + i];
          slice[i] =
            v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))
              ? null
              : column.type === 'VARCHAR'
                ? String(v)
                : column.type === 'BOOLEAN'
                  ? Boolean(v)
                  : Number(v);
        }
        chunk.setColumnValues(c, slice);
      });
      this.appender.appendDataChunk(chunk);
    }
    this.rows += n;
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Writes everything appended to `path` and closes the writer. */
  async finish(path: string, format: TableFileFormat = 'parquet'): Promise<void> {
    try {
      this.appender.flushSync();
      this.appender.closeSync();
      const select = this.columns
        .map((c) =>
          c.type === 'TIMESTAMP_MS'
            ? `epoch_ms(${sqlIdent(c.name)}::BIGINT) as ${sqlIdent(c.name)}`
            : sqlIdent(c.name),
        )
        .join(', ');
      await this.connection.run(
        `copy (select ${select} from t) to ${sqlString(path)} (${COPY_OPTIONS[format]})`,
      );
    } finally {
      this.close();
    }
  }

  /** Abandons the writer without writing. */
  close(): void {
    try {
      this.connection.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }
}

/** Writes one table (given as columns) to a Parquet, CSV or NDJSON file. */
export async function writeTableFile(
  path: string,
  columns: readonly TableColumn[],
  format: TableFileFormat = 'parquet',
): Promise<void> {
  const writer = await TableFileWriter.open(columns);
  try {
    writer.append(columns.map((c) => c.values));
  } catch (error) {
    writer.close();
    throw error;
  }
  await writer.finish(path, format);
}
