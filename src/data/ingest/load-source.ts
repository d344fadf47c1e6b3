import { InvalidArgumentError } from '../../core/index.js';
import { sqlString, type SqlColumn, type SqlSession } from '../duckdb/index.js';
import type { SourceFormat } from '../types.js';
import { checkTextFile } from './check-text-file.js';

/** The DuckDB table function call that reads a local file of the given format. */
export function readerFor(format: SourceFormat, path: string): string {
  const file = sqlString(path);
  switch (format) {
    case 'csv':
    case 'tsv':
      // The dialect is fixed, not sniffed: checkTextFile has already proved the structure,
      // and sniffing would re-guess the delimiter of a file it has never seen.
      return `read_csv(${file}, delim=${format === 'csv' ? "','" : "'\\t'"}, quote='"', escape='"', header=true, strict_mode=true, null_padding=false, sample_size=-1)`;
    case 'parquet':
      return `read_parquet(${file})`;
    case 'json':
      return `read_json(${file}, format='auto', sample_size=-1)`;
    case 'ndjson':
      return `read_json(${file}, format='newline_delimited', sample_size=-1)`;
  }
}

/** First line of a DuckDB error, without its "Invalid Input Error:" style prefix. */
export function duckMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')[0]
    .replace(/^[A-Za-z ]+ Error: /, '')
    .trim();
}

/** A source loaded into a session's table. */
export interface LoadedSource {
  columns: SqlColumn[];
  /**
   * The file line of a table row (DuckDB keeps the file's order in `rowid`), for delimited
   * files; errors about other formats name the row index instead.
   */
  lineOfRow?: (row: number) => number;
}

/**
 * Loads a local file into the session as table `table` and returns its columns. Text files
 * are checked first (UTF-8, quoting, ragged rows); every failure names the file.
 */
export async function loadSource(
  session: SqlSession,
  table: string,
  path: string,
  format: SourceFormat,
  displayName: string,
): Promise<LoadedSource> {
  let lineOfRow: LoadedSource['lineOfRow'];
  if (format === 'csv' || format === 'tsv') {
    const shape = await checkTextFile(path, displayName, format === 'csv' ? ',' : '\t');
    lineOfRow = shape.lineOfRecord;
  } else if (format === 'json' || format === 'ndjson') {
    await checkTextFile(path, displayName);
  }
  try {
    await session.run(`create table ${table} as select * from ${readerFor(format, path)}`);
  } catch (error) {
    throw new InvalidArgumentError(
      `cannot read ${displayName} as ${format}: ${duckMessage(error)}`,
      { file: displayName, format },
      { cause: error },
    );
  }
  const columns = await session.describe(`select * from ${table}`);
  if (columns.length === 0) {
    throw new InvalidArgumentError(`${displayName} has no columns`, { file: displayName });
  }
  return { columns, ...(lineOfRow ? { lineOfRow } : {}) };
}
