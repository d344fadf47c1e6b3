// Summarizes a window of rows from Parquet files — a slice of a prediction log, or a whole
// dataset version used as a drift reference — in ONE aggregate query: per column the row,
// null and value counts, min/max, counts on given bin edges, counts at given points (what an
// exact KS statistic needs), category counts, and the sorted values only when asked. Large
// windows never leave DuckDB as raw values. The caller names the files (or globs), so the
// prediction log's layout can change without touching this.
import { InvalidArgumentError } from '../../core/index.js';
import {
  sqlIdent,
  sqlString,
  type SqlColumn,
  type SqlSession,
  type SqlValue,
} from './duck-session.js';

/** Which rows of the files form the window. */
export interface ParquetWindow {
  /** Parquet paths or glob patterns. */
  files: string[];
  /** Keep rows with `column` in [start, end): ISO strings or epoch milliseconds. */
  time?: { column: string; start?: string | number; end?: string | number };
  /** Then keep only the latest `rows` rows by `orderBy` (a count window). */
  last?: { rows: number; orderBy: string };
}

export type WindowColumnRequest =
  | {
      name: string;
      kind: 'numeric';
      /** Ascending bin edges: counts in (e[i], e[i+1]], bin 0 also holding e[0], plus below/above. */
      edges?: number[];
      /** Ascending distinct points: how many values are ≤ and < each. */
      points?: number[];
      /** Also return mean and population std. */
      moments?: boolean;
      /** Also return every value, sorted (only for windows known to be small). */
      values?: boolean;
      /** Also return these quantiles (levels in [0, 1]), as values present in the data. */
      quantiles?: number[];
      /** Also return the exact number of distinct values. */
      distinct?: boolean;
    }
  | { name: string; kind: 'categorical' };

export interface WindowColumnSummary {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Non-null values (for numeric columns: values readable as numbers). */
  count: number;
  nulls: number;
  /** Values present but not readable as numbers (a column of the wrong type). */
  unreadable: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  histogram?: { counts: number[]; below: number; above: number };
  atPoints?: { atOrBelow: number[]; below: number[] };
  values?: number[];
  quantiles?: number[];
  distinct?: number;
  categories?: { value: string; count: number }[];
}

export interface WindowSummary {
  /** Rows in the window. */
  rows: number;
  /** Columns of the files (by name across files) and their DuckDB types. */
  schema: SqlColumn[];
  /** Requested columns absent from every file; not summarized. */
  missing: string[];
  columns: WindowColumnSummary[];
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;

/** The largest double below x: the boundary that splits "< x" from "= x" in a histogram. */
export function nextDown(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

const num = (v: SqlValue | undefined): number => (typeof v === 'number' ? v : 0);
const opt = (v: SqlValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** A DuckDB histogram map as [key, count] pairs. */
function entries(map: SqlValue | undefined): [SqlValue, number][] {
  if (Array.isArray(map)) {
    return map.map((e) => {
      const entry = e as { key: SqlValue; value: SqlValue };
      return [entry.key, Number(entry.value)];
    });
  }
  return Object.entries((map ?? {}) as Record<string, SqlValue>).map(([k, v]) => [k, Number(v)]);
}

/** The count of values ≤ each boundary (ascending), cumulated over a DuckDB histogram. */
function cumulativeAt(map: SqlValue | undefined, boundaries: number[]): Map<number, number> {
  const byKey = new Map<number, number>();
  // The null key holds values above the last boundary: the caller takes them from the count.
  for (const [key, count] of entries(map)) {
    if (typeof key === 'number') byKey.set(key, (byKey.get(key) ?? 0) + count);
  }
  const cumulative = new Map<number, number>();
  let running = 0;
  for (const b of boundaries) {
    running += byKey.get(b) ?? 0;
    cumulative.set(b, running);
  }
  return cumulative;
}

const uniqueSorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
// Written as one string cast to DOUBLE[]: DuckDB reads a bare literal such as 0.123 as a
// DECIMAL, whose conversion to double can miss the exact value by an ulp — and a bin edge or
// KS point one ulp off counts ties on the wrong side. Strings are parsed correctly rounded.
const doubleList = (xs: number[]) => `'[${xs.map((x) => String(x)).join(', ')}]'::DOUBLE[]`;

function timeLiteral(value: string | number, type: string): string {
  if (NUMERIC_TYPE.test(type)) {
    return String(typeof value === 'number' ? value : Date.parse(value));
  }
  const iso = new Date(typeof value === 'number' ? value : Date.parse(value)).toISOString();
  const stamp = iso.replace('T', ' ').replace('Z', '');
  return /WITH TIME ZONE|TIMESTAMPTZ/i.test(type)
    ? `TIMESTAMPTZ ${sqlString(`${stamp}+00`)}`
    : `TIMESTAMP ${sqlString(stamp)}`;
}

/** Files matched by the paths and globs; an empty window when none exist yet. */
async function matchedFiles(session: SqlSession, files: string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const rows = await session.all(
    `select file from glob([${files.map(sqlString).join(', ')}]) order by file`,
  );
  return rows.map((r) => String(r.file));
}

/**
 * Summarizes the window's requested columns in one aggregate query over the Parquet files
 * (read by column name across files, so files written before a column existed count it as
 * null). Numeric columns of another physical type are read with TRY_CAST, and what fails to
 * read is counted as `unreadable`. NaN sorts below every bin (DuckDB compares it first), so
 * it counts as below the range.
 */
export async function summarizeParquetWindow(
  session: SqlSession,
  window: ParquetWindow,
  requests: WindowColumnRequest[],
): Promise<WindowSummary> {
  const files = await matchedFiles(session, window.files);
  if (files.length === 0) {
    return { rows: 0, schema: [], missing: requests.map((r) => r.name), columns: [] };
  }
  const source = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true, hive_partitioning = false)`;
  const schema = await session.describe(`select * from ${source}`);
  const types = new Map(schema.map((c) => [c.name, c.type]));
  const present = requests.filter((r) => types.has(r.name));
  const missing = requests.filter((r) => !types.has(r.name)).map((r) => r.name);

  const where: string[] = [];
  if (window.time) {
    const type = types.get(window.time.column);
    if (!type)
      throw new InvalidArgumentError(`time column ${window.time.column} is not in the files`);
    const col = sqlIdent(window.time.column);
    if (window.time.start !== undefined)
      where.push(`${col} >= ${timeLiteral(window.time.start, type)}`);
    if (window.time.end !== undefined) where.push(`${col} < ${timeLiteral(window.time.end, type)}`);
  }
  const columnsRead = [
    ...new Set([...present.map((r) => r.name), ...(window.last ? [window.last.orderBy] : [])]),
  ];
  let rowsSql = `select ${columnsRead.map(sqlIdent).join(', ') || '1 as one'} from ${source}${where.length ? ` where ${where.join(' and ')}` : ''}`;
  if (window.last) {
    rowsSql += ` order by ${sqlIdent(window.last.orderBy)} desc limit ${Math.max(0, Math.floor(window.last.rows))}`;
  }

  const selects = ['count(*) as "rows"'];
  const finish: ((row: Record<string, SqlValue>) => WindowColumnSummary)[] = [];
  present.forEach((request, i) => {
    const col = sqlIdent(request.name);
    if (request.kind === 'categorical') {
      const text = /^VARCHAR/i.test(types.get(request.name) ?? '') ? col : `${col}::VARCHAR`;
      selects.push(`count(${col}) as "n${i}"`, `histogram(${text}) as "c${i}"`);
      finish.push((row) => ({
        name: request.name,
        kind: 'categorical',
        count: num(row[`n${i}`]),
        nulls: num(row.rows) - num(row[`n${i}`]),
        unreadable: 0,
        categories: entries(row[`c${i}`])
          .map(([value, count]) => ({ value: String(value), count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      }));
      return;
    }
    const numeric = NUMERIC_TYPE.test(types.get(request.name) ?? '');
    const x = numeric ? `${col}::DOUBLE` : `TRY_CAST(${col} AS DOUBLE)`;
    selects.push(
      `count(${col}) as "p${i}"`,
      // A numeric column always casts: only text read as numbers needs a second count.
      numeric ? `count(${col}) as "n${i}"` : `count(${x}) as "n${i}"`,
      `min(${x}) as "lo${i}"`,
      `max(${x}) as "hi${i}"`,
    );
    if (request.moments) selects.push(`avg(${x}) as "m${i}"`, `stddev_pop(${x}) as "s${i}"`);
    if (request.values)
      selects.push(`list(${x} order by ${x}) filter (where ${x} is not null) as "v${i}"`);
    if (request.quantiles) {
      selects.push(`quantile_disc(${x}, ${doubleList(request.quantiles)}) as "q${i}"`);
    }
    if (request.distinct) selects.push(`count(distinct ${x}) as "d${i}"`);
    const edges = request.edges ? uniqueSorted(request.edges) : undefined;
    const edgeBounds = edges ? uniqueSorted([nextDown(edges[0]), ...edges]) : [];
    if (edges) selects.push(`histogram(${x}, ${doubleList(edgeBounds)}) as "h${i}"`);
    const points = request.points ? uniqueSorted(request.points) : undefined;
    const pointBounds = points ? uniqueSorted(points.flatMap((p) => [nextDown(p), p])) : [];
    if (points) selects.push(`histogram(${x}, ${doubleList(pointBounds)}) as "k${i}"`);
    finish.push((row) => {
      const count = num(row[`n${i}`]);
      const summary: WindowColumnSummary = {
        name: request.name,
        kind: 'numeric',
        count,
        nulls: num(row.rows) - num(row[`p${i}`]),
        unreadable: num(row[`p${i}`]) - count,
      };
      for (const [key, field] of [
        ['lo', 'min'],
        ['hi', 'max'],
        ['m', 'mean'],
        ['s', 'std'],
      ] as const) {
        const v = opt(row[`${key}${i}`]);
        if (v !== undefined) summary[field] = v;
      }
      if (edges) {
        const cum = cumulativeAt(row[`h${i}`], edgeBounds);
        const below = cum.get(edgeBounds[0])!;
        const last = cum.get(edges[edges.length - 1])!;
        // One distinct edge is a point mass: everything at it is the single bin.
        const counts =
          edges.length === 1
            ? [last - below]
            : edges.slice(1).map((e, k) => cum.get(e)! - (k === 0 ? below : cum.get(edges[k])!));
        summary.histogram = { counts, below, above: count - last };
      }
      if (points) {
        const cum = cumulativeAt(row[`k${i}`], pointBounds);
        summary.atPoints = {
          atOrBelow: points.map((p) => cum.get(p)!),
          below: points.map((p) => cum.get(nextDown(p))!),
        };
      }
      const quantiles = row[`q${i}`];
      if (request.quantiles && Array.isArray(quantiles)) {
        summary.quantiles = quantiles.filter((v): v is number => typeof v === 'number');
      }
      if (request.distinct) summary.distinct = num(row[`d${i}`]);
      if (request.values) {
        const list = row[`v${i}`];
        summary.values = Array.isArray(list)
          ? list.filter((v): v is number => typeof v === 'number')
          : [];
      }
      return summary;
    });
  });
  const [row] = await session.all(`with w as (${rowsSql}) select ${selects.join(', ')} from w`);
  return { rows: num(row.rows), schema, missing, columns: finish.map((f) => f(row)) };
}
