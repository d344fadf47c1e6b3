// The reference a window is compared with: a dataset version's stored profile (histogram
// edges and counts, top-k categories — no data read at all), or a chosen set of rows in
// Parquet (a dataset version's file, or an earlier log window), summarized by DuckDB. A small
// reference keeps its raw values, so its tests are exact (KS, chi-square); a large one keeps
// 100 quantile bins, which is all the distances need.
import type { DatasetProfile, ParquetWindow, SqlSession } from '../../data/index.js';
import { summarizeParquetWindow } from '../../data/index.js';
import {
  RAW_REFERENCE_LIMIT,
  REFERENCE_BINS,
  numericReference,
  type ColumnReference,
  type NumericReference,
} from '../../ml/index.js';

export type DriftColumnKind = 'numeric' | 'categorical';

export interface DriftReference {
  source:
    { kind: 'profile'; dataset?: string; version?: number } | { kind: 'parquet'; files: string[] };
  /** Rows in the reference. */
  rows: number;
  columns: ColumnReference[];
  /** Share of nulls per column in the reference, for comparison with a window's. */
  nullFractions: Record<string, number>;
}

/**
 * A reference from a stored dataset profile. Numeric and integer columns bring their
 * histogram (20 equal-width bins from min to max); categorical and boolean columns their top
 * categories, complete when the profile saw no more distinct values than it kept. Profiles
 * keep no raw values, so a small dataset's KS test runs on the bins (said so in the result);
 * build from the dataset's Parquet file instead to make it exact.
 */
export function referenceFromProfile(
  profile: DatasetProfile,
  options: { columns?: string[]; dataset?: string; version?: number } = {},
): DriftReference {
  const wanted = options.columns ? new Set(options.columns) : undefined;
  const columns: ColumnReference[] = [];
  const nullFractions: Record<string, number> = {};
  for (const p of profile.columns) {
    if (wanted && !wanted.has(p.name)) continue;
    if ((p.logicalType === 'numeric' || p.logicalType === 'integer') && p.histogram) {
      if (typeof p.min !== 'number' || typeof p.max !== 'number') continue;
      // Profiles store the sample std (ddof 1); Evidently scales by numpy's (ddof 0).
      const std =
        p.count > 1 && p.std !== undefined ? p.std * Math.sqrt((p.count - 1) / p.count) : 0;
      columns.push({
        kind: 'numeric',
        name: p.name,
        count: p.count,
        std,
        min: p.min,
        max: p.max,
        ...(p.distinct !== undefined ? { distinct: p.distinct } : {}),
        histogram: { edges: [...p.histogram.edges], counts: [...p.histogram.counts] },
      });
    } else if ((p.logicalType === 'categorical' || p.logicalType === 'boolean') && p.topK) {
      const listed = p.topK.reduce((s, c) => s + c.count, 0);
      const distinct = p.distinct ?? p.approxDistinct;
      columns.push({
        kind: 'categorical',
        name: p.name,
        count: p.count,
        categories: p.topK.map((c) => ({ value: c.value, count: c.count })),
        other: Math.max(p.count - listed, 0),
        complete: distinct <= p.topK.length,
      });
    } else continue;
    nullFractions[p.name] = p.nullFraction;
  }
  return {
    source: { kind: 'profile', dataset: options.dataset, version: options.version },
    rows: profile.rowCount,
    columns,
    nullFractions,
  };
}

/** Extra levels in each tail: the outermost 1% spans the widest bins of skewed data. */
const TAIL_LEVELS = [1e-4, 3e-4, 1e-3, 3e-3];

/**
 * Quantile levels 0, 1/b, …, 1 for b bins, refined in both tails. Distances on bins take values
 * as spread evenly within each bin, which is far off only in wide bins — the tails.
 */
export function referenceLevels(bins: number): number[] {
  const levels = Array.from({ length: bins + 1 }, (_, i) => i / bins);
  for (const t of TAIL_LEVELS) if (t < 1 / bins) levels.push(t, 1 - t);
  return [...new Set(levels)].sort((a, b) => a - b);
}

/**
 * A reference from rows in Parquet files (a dataset version's file, a chosen log window): up
 * to `rawLimit` rows are kept value by value; beyond, numeric columns get `bins` quantile bins
 * counted in a second query. Categorical columns always keep every category.
 */
export async function referenceFromParquet(
  session: SqlSession,
  window: ParquetWindow,
  columns: { name: string; kind: DriftColumnKind }[],
  options: { rawLimit?: number; bins?: number } = {},
): Promise<DriftReference> {
  const rawLimit = options.rawLimit ?? RAW_REFERENCE_LIMIT;
  const bins = options.bins ?? REFERENCE_BINS;
  const { rows } = await summarizeParquetWindow(session, window, []);
  const small = rows <= rawLimit;
  const first = await summarizeParquetWindow(
    session,
    window,
    columns.map((c) =>
      c.kind === 'categorical'
        ? { name: c.name, kind: 'categorical' as const }
        : {
            name: c.name,
            kind: 'numeric' as const,
            moments: true,
            distinct: true,
            ...(small ? { values: true } : { quantiles: referenceLevels(bins) }),
          },
    ),
  );
  const edgesOf = new Map<string, number[]>();
  for (const s of first.columns) {
    if (s.kind !== 'numeric' || small || !s.quantiles || s.count === 0) continue;
    const edges = [...new Set(s.quantiles)].sort((a, b) => a - b);
    edgesOf.set(s.name, edges.length === 1 ? [edges[0], edges[0]] : edges);
  }
  const second =
    edgesOf.size > 0
      ? await summarizeParquetWindow(
          session,
          window,
          [...edgesOf].map(([name, edges]) => ({ name, kind: 'numeric' as const, edges })),
        )
      : undefined;
  const counted = new Map(second?.columns.map((c) => [c.name, c]));

  const references: ColumnReference[] = [];
  const nullFractions: Record<string, number> = {};
  for (const s of first.columns) {
    nullFractions[s.name] = rows > 0 ? s.nulls / rows : 0;
    if (s.count === 0) continue;
    if (s.kind === 'categorical') {
      // DuckDB counted every category, so the list is complete whatever the size.
      references.push({
        kind: 'categorical',
        name: s.name,
        count: s.count,
        categories: s.categories ?? [],
        other: 0,
        complete: true,
      });
    } else if (small) {
      references.push(numericReference(s.name, s.values ?? [], { rawLimit, bins }));
    } else {
      const edges = edgesOf.get(s.name)!;
      const counts = counted.get(s.name)?.histogram?.counts ?? [];
      const reference: NumericReference = {
        kind: 'numeric',
        name: s.name,
        count: s.count,
        std: s.std ?? 0,
        min: s.min ?? edges[0],
        max: s.max ?? edges[edges.length - 1],
        ...(s.distinct !== undefined ? { distinct: s.distinct } : {}),
        histogram: { edges, counts },
      };
      references.push(reference);
    }
  }
  return {
    source: { kind: 'parquet', files: window.files },
    rows,
    columns: references,
    nullFractions,
  };
}
