import { tmpdir } from 'node:os';
import { InvalidArgumentError } from '../../core/index.js';
import { duckMessage, readerFor } from '../ingest/load-source.js';
import { detectFormat } from '../ingest/source-format.js';
import type { SourceFormat } from '../types.js';
import { sqlIdent } from './duck-session.js';

/** One column of a chunk: numbers (NaN for NULL) for numeric columns, else strings or null. */
export type ChunkColumn = Float64Array | (string | null)[];

/** A slice of a table's rows, column by column. */
export interface TableChunk {
  numRows: number;
  columns: Record<string, ChunkColumn>;
}

export interface TableChunksOptions {
  /** Overrides what the file name implies. */
  format?: string;
  /** Rows per chunk (default 65,536). */
  chunkRows?: number;
}

/** What a table holds before it is read. */
export interface TableShape {
  rowCount: number;
  columns: { name: string; numeric: boolean }[];
}

const NUMERIC =
  /^(DOUBLE|FLOAT|REAL|DECIMAL.*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|BOOLEAN)$/;

/**
 * Streams a CSV, TSV, Parquet, JSON or NDJSON file in chunks of rows, through DuckDB: numeric
 * columns arrive as Float64Arrays, everything else as strings. Memory stays at one chunk, so
 * files far larger than memory can be scored.
 */
export async function openTableChunks(
  path: string,
  options: TableChunksOptions = {},
): Promise<{ shape: TableShape; chunks: AsyncIterable<TableChunk>; close(): void }> {
  const format: SourceFormat = detectFormat(path, options.format);
  const chunkRows = options.chunkRows ?? 65_536;
  const { DuckDBInstance, DuckDBDoubleVector } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: tmpdir() });
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  const source = readerFor(format, path);
  let shape: TableShape;
  try {
    const described = (
      await connection.runAndReadAll(`describe select * from ${source}`)
    ).getRowObjectsJS();
    const count = (
      await connection.runAndReadAll(`select count(*) as n from ${source}`)
    ).getRowObjectsJS();
    shape = {
      rowCount: Number(count[0].n),
      columns: described.map((c) => ({
        name: String(c.column_name),
        numeric: NUMERIC.test(String(c.column_type)),
      })),
    };
  } catch (error) {
    close();
    throw new InvalidArgumentError(`cannot read ${path} as ${format}: ${duckMessage(error)}`, {
      file: path,
    });
  }
  const select = shape.columns
    .map(
      (c) =>
        `${c.numeric ? `cast(${sqlIdent(c.name)} as double)` : `cast(${sqlIdent(c.name)} as varchar)`} as ${sqlIdent(c.name)}`,
    )
    .join(', ');

  async function* chunks(): AsyncIterable<TableChunk> {
    const result = await connection.stream(`select ${select} from ${source}`);
    let columns = fresh();
    let filled = 0;
    function fresh(): ChunkColumn[] {
      return shape.columns.map((c) =>
        c.numeric ? new Float64Array(chunkRows) : new Array<string | null>(chunkRows),
      );
    }
    const emit = (n: number): TableChunk => ({
      numRows: n,
      columns: Object.fromEntries(
        shape.columns.map((c, i) => {
          const column = columns[i];
          return [
            c.name,
            n === chunkRows
              ? column
              : column instanceof Float64Array
                ? column.subarray(0, n)
                : column.slice(0, n),
          ];
        }),
      ),
    });
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      let offset = 0;
      while (offset < chunk.rowCount) {
        const take = Math.min(chunk.rowCount - offset, chunkRows - filled);
        shape.columns.forEach((c, i) => {
          const vector = chunk.getColumnVector(i);
          const target = columns[i];
          if (target instanceof Float64Array && vector instanceof DuckDBDoubleVector) {
            for (let r = 0; r < take; r++) target[filled + r] = vector.getItem(offset + r) ?? NaN;
          } else {
            for (let r = 0; r < take; r++) {
              const v = vector.getItem(offset + r);
              (target as (string | null)[])[filled + r] = v === null ? null : String(v);
            }
          }
        });
        offset += take;
        filled += take;
        if (filled === chunkRows) {
          yield emit(filled);
          columns = fresh();
          filled = 0;
        }
      }
    }
    if (filled > 0) yield emit(filled);
  }
  return { shape, chunks: chunks(), close };
}
