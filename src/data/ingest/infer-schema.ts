import { InvalidArgumentError } from '../../core/index.js';
import type { SqlColumn } from '../duckdb/index.js';
import { LOGICAL_TYPES, type ColumnSchema, type LogicalType } from '../types.js';

const INTEGER_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const NUMERIC_TYPES = /^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/;
const DATETIME_TYPES = /^(DATE|TIME|TIMESTAMP.*|TIME WITH TIME ZONE)$/;

/** The logical type a physical type implies on its own (strings are decided by cardinality). */
export function physicalLogicalType(physicalType: string): LogicalType | 'string' {
  if (INTEGER_TYPES.test(physicalType)) return 'integer';
  if (NUMERIC_TYPES.test(physicalType)) return 'numeric';
  if (physicalType === 'BOOLEAN') return 'boolean';
  if (DATETIME_TYPES.test(physicalType)) return 'datetime';
  return 'string';
}

/**
 * A string column is categorical when it repeats a small set of values: at most 1,000
 * distinct, and at most half as many distinct values as non-null rows. Anything else is text.
 */
export function isCategorical(approxDistinct: number, nonNull: number): boolean {
  return approxDistinct <= 1000 && approxDistinct <= Math.max(1, nonNull / 2);
}

/** DuckDB type a logical override casts its column to. */
export const CAST_FOR: Record<LogicalType, string> = {
  numeric: 'DOUBLE',
  integer: 'BIGINT',
  categorical: 'VARCHAR',
  text: 'VARCHAR',
  boolean: 'BOOLEAN',
  datetime: 'TIMESTAMP',
};

/** Checks user overrides name real columns and real logical types. */
export function checkOverrides(
  overrides: Record<string, string>,
  columns: SqlColumn[],
  displayName: string,
): Record<string, LogicalType> {
  const names = new Set(columns.map((c) => c.name));
  for (const [column, type] of Object.entries(overrides)) {
    if (!names.has(column)) {
      throw new InvalidArgumentError(
        `type override names column "${column}", which ${displayName} does not have (columns: ${[...names].join(', ')})`,
        { field: `types.${column}` },
      );
    }
    if (!(LOGICAL_TYPES as readonly string[]).includes(type)) {
      throw new InvalidArgumentError(
        `type override for "${column}" is "${type}": use one of ${LOGICAL_TYPES.join(', ')}`,
        { field: `types.${column}` },
      );
    }
  }
  return overrides as Record<string, LogicalType>;
}

/** Whether a column must be cast for its override to hold in the Parquet copy. */
export function needsCast(column: SqlColumn, logical: LogicalType): boolean {
  const natural = physicalLogicalType(column.type);
  if (natural === logical) return false;
  if (natural === 'string') return logical !== 'categorical' && logical !== 'text';
  return true;
}

/** Final schema: overrides win; strings split into categorical or text by cardinality. */
export function inferSchema(
  columns: SqlColumn[],
  stats: Map<string, { approxDistinct: number; nonNull: number }>,
  overrides: Record<string, LogicalType>,
): ColumnSchema[] {
  return columns.map((c) => {
    const override = overrides[c.name];
    if (override)
      return { name: c.name, logicalType: override, physicalType: c.type, overridden: true };
    const natural = physicalLogicalType(c.type);
    if (natural !== 'string') return { name: c.name, logicalType: natural, physicalType: c.type };
    const s = stats.get(c.name) ?? { approxDistinct: 0, nonNull: 0 };
    return {
      name: c.name,
      logicalType: isCategorical(s.approxDistinct, s.nonNull) ? 'categorical' : 'text',
      physicalType: c.type,
    };
  });
}
