import { InvalidArgumentError } from '../../core/index.js';
import { sqlIdent } from '../duckdb/index.js';
import type { ColumnSchema } from '../types.js';

export const SPLIT_PARTS = ['train', 'validation', 'test'] as const;
export type SplitPart = (typeof SPLIT_PARTS)[number];
export const SPLIT_METHODS = ['random', 'hash', 'time'] as const;

/** Column DuckDB adds with `read_parquet(..., file_row_number = true)`. */
export const ROW_POSITION = 'file_row_number';

export interface SplitSpec {
  /** random: by seed and row position; hash: by a key column; time: by a datetime column. */
  by: (typeof SPLIT_METHODS)[number];
  /** For `random` (default 0); mixed into `hash` when given. */
  seed?: number;
  /** The key column (`hash`) or the time column (`time`). */
  column?: string;
  /** Fractions of train, validation and test; they must sum to 1 (default 0.8 / 0.1 / 0.1). */
  fractions?: { train: number; validation: number; test: number };
}

/** A number in [0, 1) from the first 32 bits of an md5: stable across DuckDB versions. */
const unitOf = (text: string) => `(('0x' || substr(md5(${text}), 1, 8))::UBIGINT / 4294967296.0)`;

/**
 * The SQL that places each row: `unit` gives every row a number in [0, 1) (its position in
 * time for `time` splits), and `part` is the range of that number each part takes.
 */
export function splitCondition(
  spec: SplitSpec,
  schema: ColumnSchema[],
): {
  unit: string;
  part(part: SplitPart): string;
  fractions: { train: number; validation: number; test: number };
} {
  if (!(SPLIT_METHODS as readonly string[]).includes(spec.by)) {
    throw new InvalidArgumentError(
      `split by "${spec.by}": use one of ${SPLIT_METHODS.join(', ')}`,
      {
        field: 'by',
      },
    );
  }
  const fractions = spec.fractions ?? { train: 0.8, validation: 0.1, test: 0.1 };
  const values = [fractions.train, fractions.validation, fractions.test];
  if (
    values.some((v) => !(v >= 0 && v <= 1)) ||
    Math.abs(values.reduce((a, b) => a + b, 0) - 1) > 1e-9
  ) {
    throw new InvalidArgumentError(
      `fractions must be three numbers from 0 to 1 that sum to 1, got ${values.join(', ')}`,
      { field: 'fractions' },
    );
  }
  const seed = spec.seed ?? 0;
  if (!Number.isInteger(seed))
    throw new InvalidArgumentError('seed must be an integer', { field: 'seed' });
  let unit: string;
  if (spec.by === 'random') {
    // The row's position in the canonical Parquet file, not row_number() over (), whose
    // numbering may follow thread scheduling on large tables.
    unit = unitOf(`'${seed}:' || ${ROW_POSITION}::VARCHAR`);
  } else {
    const column = schema.find((c) => c.name === spec.column);
    if (!spec.column || !column) {
      throw new InvalidArgumentError(
        `split by ${spec.by} needs column to name one of: ${schema.map((c) => c.name).join(', ')}`,
        { field: 'column' },
      );
    }
    const col = sqlIdent(column.name);
    if (spec.by === 'hash') {
      unit = unitOf(
        `${spec.seed !== undefined ? `'${seed}:' || ` : ''}coalesce(${col}::VARCHAR, '')`,
      );
    } else {
      if (
        column.logicalType !== 'datetime' &&
        column.logicalType !== 'integer' &&
        column.logicalType !== 'numeric'
      ) {
        throw new InvalidArgumentError(
          `split by time needs a datetime or numeric column; ${column.name} is ${column.logicalType}`,
          { field: 'column' },
        );
      }
      // Rows sharing a timestamp share a rank, so they never straddle two parts.
      unit = `percent_rank() over (order by ${col} nulls first)`;
    }
  }
  const bounds = {
    train: [0, fractions.train],
    validation: [fractions.train, fractions.train + fractions.validation],
    test: [fractions.train + fractions.validation, Infinity],
  } as const;
  return {
    unit,
    fractions,
    part: (part) => {
      const [lo, hi] = bounds[part];
      return hi === Infinity ? `__u >= ${lo}` : `__u >= ${lo} and __u < ${hi}`;
    },
  };
}
