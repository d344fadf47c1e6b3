import { tmpdir } from 'node:os';
import { sqlIdent, sqlString } from './duck-session.js';
import type { TableColumnType, TableFileFormat } from './table-file-writer.js';

const COPY_OPTIONS: Record<TableFileFormat, string> = {
  parquet: "format parquet, compression 'zstd'",
  csv: "format csv, header true, delimiter ','",
  ndjson: 'format json',
};

/**
 * Loads DuckDB's native module now: the first load blocks the thread for a moment, which a
 * server should pay at start, not in the middle of serving.
 */
export async function preloadDuckDb(): Promise<void> {
  await import('@duckdb/node-api');
}

/**
 * Converts a header-less CSV file of known columns (RFC 4180 quoting; an unquoted `null` is
 * NULL)
 * into Parquet, CSV or NDJSON. All the work happens inside DuckDB, off the JavaScript thread:
 * what a server's background writer wants.
 */
export async function convertCsvFile(
  csvPath: string,
  columns: readonly { name: string; type: TableColumnType }[],
  outPath: string,
  format: TableFileFormat = 'parquet',
): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    temp_directory: tmpdir(),
    threads: '1',
  });
  try {
    const connection = await instance.connect();
    try {
      const types = columns
        .map((c) => `${sqlString(c.name)}: '${c.type === 'TIMESTAMP_MS' ? 'BIGINT' : c.type}'`)
        .join(', ');
      const select = columns
        .map((c) =>
          c.type === 'TIMESTAMP_MS'
            ? `epoch_ms(${sqlIdent(c.name)}) as ${sqlIdent(c.name)}`
            : sqlIdent(c.name),
        )
        .join(', ');
      await connection.run(
        `copy (select ${select} from read_csv(${sqlString(csvPath)}, header = false, delim = ',', quote = '"', escape = '"', nullstr = 'null', allow_quoted_nulls = false, columns = {${types}})) to ${sqlString(outPath)} (${COPY_OPTIONS[format]})`,
      );
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
