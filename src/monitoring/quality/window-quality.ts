// Data quality of one window against the reference, from the same summary the drift test
// used (no second pass): null rates, values outside the training range, categories the
// reference never had, and schema violations (missing and extra columns, wrong types).
import type { WindowSummary } from '../../data/index.js';
import type { DriftReference } from '../drift/drift-reference.js';

export interface ColumnQuality {
  column: string;
  /** Share of the window's rows with no value. */
  nullRate: number;
  /** The same share in the reference, when known. */
  referenceNullRate?: number;
  /** Numeric values below the reference's minimum and above its maximum. */
  outOfRange?: { below: number; above: number; share: number };
  /**
   * Categories the reference never had (known only when the reference lists all of its
   * categories; a profile keeps its top 10).
   */
  unseenCategories?: { values: { value: string; count: number }[]; rows: number; share: number };
  /** Values present but unreadable as numbers (a numeric column written as text). */
  unreadable: number;
}

export interface SchemaViolations {
  /** Reference columns the window's files lack. */
  missing: string[];
  /** Columns in the files that are neither reference columns nor known bookkeeping. */
  extra: string[];
  /** Reference columns whose physical type cannot hold their kind. */
  wrongType: { column: string; expected: string; actual: string }[];
}

export interface WindowQuality {
  rows: number;
  columns: ColumnQuality[];
  schema: SchemaViolations;
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;
/** Unseen categories listed per column, most frequent first. */
const UNSEEN_LISTED = 20;

/**
 * Quality of a window summarized for drift. `windowName` maps a reference column to its name
 * in the window's files (a log may prefix features); `knownColumns` are the files' own
 * bookkeeping columns (time, request id, prediction...).
 */
export function windowQuality(
  reference: DriftReference,
  summary: WindowSummary,
  options: { windowName?: (column: string) => string; knownColumns?: string[] } = {},
): WindowQuality {
  const nameOf = options.windowName ?? ((c: string) => c);
  const byName = new Map(summary.columns.map((c) => [c.name, c]));
  const types = new Map(summary.schema.map((c) => [c.name, c.type]));
  const expected = new Set(reference.columns.map((c) => nameOf(c.name)));
  const known = new Set(options.knownColumns ?? []);
  const columns: ColumnQuality[] = [];
  const schema: SchemaViolations = { missing: [], extra: [], wrongType: [] };

  for (const ref of reference.columns) {
    const name = nameOf(ref.name);
    const type = types.get(name);
    if (type === undefined) {
      // An empty window has no schema to violate.
      if (summary.schema.length > 0) schema.missing.push(ref.name);
      continue;
    }
    if (ref.kind === 'numeric' && !NUMERIC_TYPE.test(type)) {
      schema.wrongType.push({ column: ref.name, expected: 'numeric', actual: type });
    }
    const s = byName.get(name);
    if (!s) continue;
    const quality: ColumnQuality = {
      column: ref.name,
      nullRate: summary.rows > 0 ? s.nulls / summary.rows : 0,
      unreadable: s.unreadable,
    };
    const referenceNullRate = reference.nullFractions[ref.name];
    if (referenceNullRate !== undefined) quality.referenceNullRate = referenceNullRate;
    if (ref.kind === 'numeric' && s.histogram) {
      const { below, above } = s.histogram;
      quality.outOfRange = { below, above, share: s.count > 0 ? (below + above) / s.count : 0 };
    }
    if (ref.kind === 'categorical' && ref.complete && s.categories) {
      const seen = new Set(ref.categories.map((c) => c.value));
      const unseen = s.categories.filter((c) => !seen.has(c.value));
      const rows = unseen.reduce((sum, c) => sum + c.count, 0);
      quality.unseenCategories = {
        values: unseen.slice(0, UNSEEN_LISTED),
        rows,
        share: s.count > 0 ? rows / s.count : 0,
      };
    }
    columns.push(quality);
  }
  for (const c of summary.schema) {
    if (!expected.has(c.name) && !known.has(c.name)) schema.extra.push(c.name);
  }
  return { rows: summary.rows, columns, schema };
}
