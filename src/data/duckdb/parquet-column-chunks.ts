import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InvalidArgumentError } from '../../core/index.js';
import { sqlIdent, sqlString } from './duck-session.js';

/** One column to read: numbers as float32, or strings as codes into a category list. */
export interface ParquetColumnSpec {
  name: string;
  type: 'numeric' | 'categorical';
  /**
   * Categorical columns: the categories, code i for `categories[i]`. Omitted, they are the
   * column's distinct values in sorted order (see {@link describeParquetColumns}).
   */
  categories?: string[];
}

/** A run of rows as one Float32Array per column (NaN for nulls and unknown categories). */
export interface ParquetColumnChunk {
  numRows: number;
  columns: Float32Array[];
}

/** Row count and category lists of a Parquet file's columns. */
export interface ParquetColumnsInfo {
  numRows: number;
  columns: Required<ParquetColumnSpec>[];
}

/**
 * Reads a dataset version's Parquet file column by column, chunk by chunk, as typed arrays:
 * the shape GBDT training takes (`GbdtDatasetBuilder.append`) without an object per row.
 * Each call uses a private in-memory DuckDB that reads only the given file.
 */
export async function describeParquetColumns(
  path: string,
  columns: readonly ParquetColumnSpec[],
): Promise<ParquetColumnsInfo> {
  return withConnection(async (c) => {
    const count = await c.runAndReadAll(`select count(*) from read_parquet(${sqlString(path)})`);
    const numRows = Number(count.getRows()[0][0]);
    const described: Required<ParquetColumnSpec>[] = [];
    for (const col of columns) {
      let categories = col.categories ?? [];
      if (col.type === 'categorical' && !col.categories) {
        const reader = await c.runAndReadAll(
          `select distinct ${sqlIdent(col.name)}::varchar as v from read_parquet(${sqlString(path)}) where v is not null order by v`,
        );
        categories = reader.getRows().map((r) => String(r[0]));
      }
      described.push({ name: col.name, type: col.type, categories });
    }
    return { numRows, columns: described };
  });
}

/** The select list that turns each column into one float (categories into their codes). */
function selectList(columns: readonly ParquetColumnSpec[]): string {
  return columns
    .map((col) => {
      const id = sqlIdent(col.name);
      if (col.type === 'numeric') return `${id}::float`;
      if (!col.categories) {
        throw new InvalidArgumentError(`categorical column ${col.name} needs its categories`);
      }
      // list_position is 1-based and NULL when absent: unknown categories become missing.
      const list = `[${col.categories.map(sqlString).join(', ')}]::varchar[]`;
      return `(list_position(${list}, ${id}::varchar) - 1)::float`;
    })
    .join(', ');
}

/**
 * Yields the file's rows in chunks of `chunkRows` (the last may be shorter), in file order.
 * Categorical columns need their `categories` (from {@link describeParquetColumns}), so
 * every chunk codes them the same way.
 */
export async function* readParquetColumnChunks(
  path: string,
  columns: readonly ParquetColumnSpec[],
  options: { chunkRows?: number } = {},
): AsyncGenerator<ParquetColumnChunk> {
  const chunkRows = options.chunkRows ?? 1 << 16;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new InvalidArgumentError('chunkRows must be a positive integer', { chunkRows });
  }
  const sql = `select ${selectList(columns)} from read_parquet(${sqlString(path)})`;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.stream(sql);
    let chunk = newChunk(columns.length, chunkRows);
    for (;;) {
      const part = await result.fetchChunk();
      if (!part || part.rowCount === 0) break;
      let from = 0;
      while (from < part.rowCount) {
        const take = Math.min(part.rowCount - from, chunkRows - chunk.numRows);
        for (let c = 0; c < columns.length; c++) {
          const vector = part.getColumnVector(c);
          const out = chunk.columns[c];
          for (let i = 0; i < take; i++) {
            const v = vector.getItem(from + i);
            out[chunk.numRows + i] = typeof v === 'number' ? v : NaN;
          }
        }
        chunk.numRows += take;
        from += take;
        if (chunk.numRows === chunkRows) {
          yield chunk;
          chunk = newChunk(columns.length, chunkRows);
        }
      }
    }
    if (chunk.numRows > 0) {
      yield {
        numRows: chunk.numRows,
        columns: chunk.columns.map((c) => c.subarray(0, chunk.numRows)),
      };
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * A reproducible uniform sample of up to `sampleRows` rows (DuckDB's reservoir sampling),
 * e.g. to learn GBDT bin cuts before streaming the whole file.
 */
export async function sampleParquetColumns(
  path: string,
  columns: readonly ParquetColumnSpec[],
  sampleRows: number,
  seed = 0,
): Promise<Float32Array[]> {
  const sql = `select ${selectList(columns)} from read_parquet(${sqlString(path)}) using sample reservoir(${Math.floor(sampleRows)} rows) repeatable (${Math.floor(seed)})`;
  return withConnection(async (c) => {
    const reader = await c.runAndReadAll(sql);
    return reader
      .getColumns()
      .map((column) => Float32Array.from(column, (v) => (typeof v === 'number' ? v : NaN)));
  });
}

function newChunk(numColumns: number, chunkRows: number): ParquetColumnChunk {
  return {
    numRows: 0,
    columns: Array.from({ length: numColumns }, () => new Float32Array(chunkRows)),
  };
}

async function withConnection<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
