import { InvalidArgumentError } from '../../core/index.js';
import { sqlIdent, type SqlColumn, type SqlSession } from '../duckdb/index.js';
import type { LogicalType } from '../types.js';
import { physicalLogicalType } from './infer-schema.js';

/** What a value must be for a cast to the logical type to keep it, as the error says it. */
const WHAT: Record<LogicalType, string> = {
  integer: 'an integer',
  numeric: 'a number',
  boolean: 'a boolean',
  datetime: 'a date or timestamp',
  categorical: 'text',
  text: 'text',
};

/**
 * The SQL condition true where casting `column` to `target` fails or changes the value.
 * DuckDB's CAST rounds 8.3252 to 8 and '8.5' to 9 and TRY_CAST yields NULL where it cannot
 * convert, so a value is lost when TRY_CAST is NULL or when casting back does not give the
 * original. Text has no way back ('08' → 8 → '8'), so a string must convert, and for an
 * integer must equal its reading as a double.
 */
function lossCondition(column: SqlColumn, target: string): string {
  const col = sqlIdent(column.name);
  const cast = `TRY_CAST(${col} AS ${target})`;
  if (physicalLogicalType(column.type) === 'string') {
    const fractional =
      target === 'BIGINT' ? ` OR TRY_CAST(${col} AS DOUBLE) IS DISTINCT FROM ${cast}` : '';
    return `${cast} IS NULL${fractional}`;
  }
  return `${cast} IS NULL OR TRY_CAST(${cast} AS ${column.type}) IS DISTINCT FROM ${col}`;
}

/** Where a row sits in its source, for messages: a line of a text file or a row index. */
export interface RowPlace {
  displayName: string;
  /** A delimited file's line of a row; absent for Parquet and JSON, which name the row index. */
  lineOfRow?: (row: number) => number;
}

/**
 * Refuses a type override that would lose or invent data: the first value (in file order)
 * that does not survive the cast fails the ingest, naming the column, where the value is and
 * the value. Casts to text never lose anything and are not checked.
 */
export async function checkCasts(
  session: SqlSession,
  table: string,
  casts: { column: SqlColumn; logical: LogicalType; target: string }[],
  place: RowPlace,
): Promise<void> {
  for (const { column, logical, target } of casts) {
    if (target === 'VARCHAR') continue;
    const col = sqlIdent(column.name);
    const [bad] = await session.all(
      `select rowid as "row", CAST(${col} AS VARCHAR) as "value" from ${table}
       where ${col} is not null and (${lossCondition(column, target)})
       order by rowid limit 1`,
    );
    if (!bad) continue;
    const row = Number(bad.row);
    const value = String(bad.value);
    const line = place.lineOfRow?.(row);
    const where = line === undefined ? `row index ${row}` : `line ${line}`;
    throw new InvalidArgumentError(
      `${place.displayName} ${where}: ${column.name} value ${JSON.stringify(value)} is not ${WHAT[logical]} (type override ${column.name}=${logical})`,
      {
        field: `types.${column.name}`,
        file: place.displayName,
        column: column.name,
        ...(line === undefined ? {} : { line }),
        row,
        value,
      },
    );
  }
}
