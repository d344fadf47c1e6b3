import { looksPersonal } from '../pii/pii-scan.js';
import { piiKindOfName } from '../pii/pii-patterns.js';
import { sqlIdent, type SqlColumn, type SqlSession, type SqlValue } from '../duckdb/index.js';
import { inferSchema, physicalLogicalType } from '../ingest/infer-schema.js';
import type {
  CategoryCount,
  ColumnProfile,
  ColumnSchema,
  DatasetProfile,
  HistogramSummary,
  LogicalType,
} from '../types.js';

export const QUANTILE_LEVELS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
export const HISTOGRAM_BINS = 20;
export const TOP_K = 10;

const num = (v: SqlValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** Equal-width edges from min to max; the last edge is max itself so no value falls outside. */
export function histogramEdges(min: number, max: number, bins = HISTOGRAM_BINS): number[] {
  if (!(max > min)) return [min, max];
  const width = (max - min) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
}

/**
 * DuckDB's `histogram(x, boundaries)` counts values into (b[i-1], b[i]] buckets keyed by
 * their upper boundary; this turns its map into counts aligned with `edges` (the first bin
 * also holds edges[0]; values above the last edge, possible only for later data binned with
 * stored edges, are dropped here and reported by drift code instead).
 */
/**
 * DuckDB parses a bin boundary written with 17 significant digits to a double that can be one
 * ulp away from JavaScript's (1.9499199999999999 comes back as 1.94992), so a bin's key is
 * matched to its edge within a relative 1e-9 — far below any bin width — never by `===`,
 * which silently dropped that bin's rows.
 */
function sameEdge(edge: number, key: number): boolean {
  return Math.abs(edge - key) <= 1e-9 * Math.max(1, Math.abs(edge));
}

export function countsFromHistogramMap(map: SqlValue, edges: number[]): number[] {
  const counts = new Array<number>(Math.max(edges.length - 1, 1)).fill(0);
  const entries: [number, number][] = Array.isArray(map)
    ? map.map((e) => {
        const entry = e as { key: SqlValue; value: SqlValue };
        return [Number(entry.key), Number(entry.value)];
      })
    : Object.entries((map ?? {}) as Record<string, SqlValue>).map(([k, v]) => [
        Number(k),
        Number(v),
      ]);
  const upper = edges.slice(1);
  for (const [key, count] of entries) {
    const index = upper.findIndex((b) => sameEdge(b, key));
    if (index >= 0) counts[index] += count;
  }
  return counts;
}

function categoryCounts(map: SqlValue, nonNull: number): CategoryCount[] {
  const entries: [string, number][] = Array.isArray(map)
    ? map.map((e) => {
        const entry = e as { key: SqlValue; value: SqlValue };
        return [String(entry.key), Number(entry.value)];
      })
    : Object.entries((map ?? {}) as Record<string, SqlValue>).map(([k, v]) => [k, Number(v)]);
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_K)
    .map(([value, count]) => ({ value, count, frequency: nonNull > 0 ? count / nonNull : 0 }));
}

/**
 * Profiles table `table` in two aggregate queries over DuckDB's in-memory copy: the first
 * gathers counts, distinct estimates, moments and quantiles for every column at once; the
 * second bins numeric columns on edges taken from the first and counts categories. The
 * schema (strings split into categorical or text by cardinality) comes out of the first.
 */
export async function profileTable(
  session: SqlSession,
  table: string,
  columns: SqlColumn[],
  overrides: Record<string, LogicalType> = {},
): Promise<{ schema: ColumnSchema[]; profile: DatasetProfile }> {
  const selects = ['count(*) AS "rows"'];
  columns.forEach((c, i) => {
    const col = sqlIdent(c.name);
    // Exact distinct counts are what people read and copy (HyperLogLog was 10-40% off on
    // California housing) and cost DuckDB no more than the estimate on 3M rows.
    selects.push(
      `count(${col}) AS "n${i}"`,
      `approx_count_distinct(${col}) AS "d${i}"`,
      `count(DISTINCT ${col}) AS "x${i}"`,
    );
    const kind = physicalLogicalType(c.type);
    if (kind === 'integer' || kind === 'numeric') {
      const x = `${col}::DOUBLE`;
      selects.push(
        `min(${x}) AS "min${i}"`,
        `max(${x}) AS "max${i}"`,
        `avg(${x}) AS "mean${i}"`,
        `stddev_samp(${x}) AS "std${i}"`,
        `approx_quantile(${x}, [${QUANTILE_LEVELS.join(', ')}]) AS "q${i}"`,
      );
    } else if (kind === 'boolean') {
      selects.push(`avg(${col}::INTEGER) AS "mean${i}"`);
    } else if (kind === 'datetime') {
      selects.push(`min(${col})::VARCHAR AS "min${i}"`, `max(${col})::VARCHAR AS "max${i}"`);
    }
  });
  const [stats] = await session.all(`select ${selects.join(', ')} from ${table}`);
  const rowCount = num(stats.rows) ?? 0;

  const basics = new Map<string, { approxDistinct: number; nonNull: number }>();
  columns.forEach((c, i) => {
    basics.set(c.name, {
      approxDistinct: num(stats[`d${i}`]) ?? 0,
      nonNull: num(stats[`n${i}`]) ?? 0,
    });
  });
  const schema = inferSchema(columns, basics, overrides);

  const profiles: ColumnProfile[] = schema.map((s, i) => {
    const nonNull = num(stats[`n${i}`]) ?? 0;
    const profile: ColumnProfile = {
      name: s.name,
      logicalType: s.logicalType,
      count: nonNull,
      nulls: rowCount - nonNull,
      nullFraction: rowCount > 0 ? (rowCount - nonNull) / rowCount : 0,
      approxDistinct: Math.min(num(stats[`d${i}`]) ?? 0, nonNull),
      distinct: num(stats[`x${i}`]) ?? 0,
    };
    const min = stats[`min${i}`];
    const max = stats[`max${i}`];
    if (typeof min === 'number' || typeof min === 'string') profile.min = min;
    if (typeof max === 'number' || typeof max === 'string') profile.max = max;
    const mean = num(stats[`mean${i}`]);
    if (mean !== undefined) profile.mean = mean;
    const std = num(stats[`std${i}`]);
    if (std !== undefined) profile.std = std;
    const q = stats[`q${i}`];
    if (Array.isArray(q)) {
      profile.quantiles = Object.fromEntries(
        QUANTILE_LEVELS.map((level, k) => [String(level), num(q[k]) ?? NaN]),
      );
    }
    return profile;
  });

  // Second query: histograms on stored edges, category counts.
  const second: string[] = [];
  const plans: (() => void)[] = [];
  let rows: Record<string, SqlValue> = {};
  schema.forEach((s, i) => {
    const p = profiles[i];
    const col = sqlIdent(s.name);
    const numeric = physicalLogicalType(s.physicalType);
    if (
      (numeric === 'integer' || numeric === 'numeric') &&
      typeof p.min === 'number' &&
      typeof p.max === 'number'
    ) {
      const edges = histogramEdges(p.min, p.max);
      second.push(
        `histogram(${col}::DOUBLE, [${edges.slice(1).map(String).join(', ')}]::DOUBLE[]) AS "h${i}"`,
      );
      plans.push(() => {
        const histogram: HistogramSummary = {
          edges,
          counts: countsFromHistogramMap(rows[`h${i}`], edges),
        };
        p.histogram = histogram;
      });
    } else if (s.logicalType === 'categorical' || s.logicalType === 'boolean') {
      second.push(`histogram(${col}::VARCHAR) AS "c${i}"`);
      plans.push(() => {
        p.topK = categoryCounts(rows[`c${i}`], p.count);
      });
    }
  });
  if (second.length > 0 && rowCount > 0) {
    [rows] = await session.all(`select ${second.join(', ')} from ${table}`);
    for (const plan of plans) plan();
  }
  // Profiles are shown and compared, never a place for personal data: a column that looks
  // personal by name or by its values keeps its counts but no example values.
  for (const p of profiles) {
    const examples = [...(p.topK ?? []).map((t) => t.value), p.min, p.max];
    if (typeof p.min === 'number' && !piiKindOfName(p.name)) continue;
    if (!looksPersonal(p.name, examples)) continue;
    delete p.topK;
    delete p.min;
    delete p.max;
    // Bin edges, quantiles and moments of a numeric identifier (a card number) are values
    // too, or close enough to one; they mean nothing for an identifier anyway.
    delete p.histogram;
    delete p.quantiles;
    delete p.mean;
    delete p.std;
  }
  return { schema, profile: { rowCount, columns: profiles } };
}
