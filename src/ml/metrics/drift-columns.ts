// What drift detection knows about one column of the reference and of a window: counts and
// bins, plus the raw values only when there are few of them. DuckDB (data/duckdb) produces
// these for Parquet windows; the builders here produce them from arrays in memory, for tests
// and for library users.
import { InvalidArgumentError } from '../../core/index.js';
import { populationStd } from './drift-distances.js';

export interface NumericReference {
  kind: 'numeric';
  name: string;
  /** Non-null values. */
  count: number;
  /** Population standard deviation (ddof 0), the scale of the normed Wasserstein distance. */
  std: number;
  min: number;
  max: number;
  /** Exact number of distinct values, when known: ≤ 5 makes Evidently treat it as categorical. */
  distinct?: number;
  /** Every value, sorted ascending, when the reference is small (KS, chi-square exactly). */
  values?: ArrayLike<number>;
  /** Bins the window is counted on; bin i holds edges[i] < x ≤ edges[i+1], bin 0 also edges[0]. */
  histogram: { edges: number[]; counts: number[] };
}

export interface NumericWindow {
  kind: 'numeric';
  name: string;
  count: number;
  min?: number;
  max?: number;
  /** Counts on the reference's histogram edges, plus values below and above them. */
  histogram: { counts: number[]; below: number; above: number };
  /**
   * For a reference with raw values: at each distinct reference value (ascending), how many
   * window values are ≤ it and < it — enough for an exact KS statistic.
   */
  atReference?: { atOrBelow: number[]; below: number[] };
  /** Every value, sorted ascending, when the window is small (optional). */
  values?: ArrayLike<number>;
}

export interface CategoryCount {
  value: string;
  count: number;
}

export interface CategoricalReference {
  kind: 'categorical';
  name: string;
  count: number;
  /** Category counts, most frequent first. */
  categories: CategoryCount[];
  /** Reference rows in categories not listed (a profile keeps only its top k). */
  other: number;
  /** True when `categories` lists every category (so a new one in a window is unseen). */
  complete: boolean;
}

export interface CategoricalWindow {
  kind: 'categorical';
  name: string;
  count: number;
  /** Counts of every category seen in the window. */
  categories: CategoryCount[];
}

export type ColumnReference = NumericReference | CategoricalReference;
export type ColumnWindow = NumericWindow | CategoricalWindow;

/** Largest reference kept value by value; Evidently switches tests above 1,000 rows too. */
export const RAW_REFERENCE_LIMIT = 1000;
/** Bins for a reference built from raw values: quantile edges, so each holds ~1% of it. */
export const REFERENCE_BINS = 100;

/** Distinct values of a sorted array, ascending. */
export function distinctSorted(sorted: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  }
  return out;
}

/** Edges at evenly spaced quantiles of a sorted sample, duplicates merged. */
export function quantileEdges(sorted: ArrayLike<number>, bins = REFERENCE_BINS): number[] {
  const n = sorted.length;
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const v = sorted[Math.round((i / bins) * (n - 1))];
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  return edges.length === 1 ? [edges[0], edges[0]] : edges;
}

/** Index of the bin holding x (edges[i] < x ≤ edges[i+1], bin 0 closed), −1 below, bins above. */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  const bins = edges.length - 1;
  if (x < edges[0]) return -1;
  if (x > edges[bins]) return bins;
  let lo = 0;
  let hi = bins - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid + 1]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function finiteSorted(values: ArrayLike<number | null>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** A numeric reference from raw values (nulls and non-finite values dropped, as Evidently). */
export function numericReference(
  name: string,
  values: ArrayLike<number | null>,
  options: { rawLimit?: number; bins?: number } = {},
): NumericReference {
  const sorted = finiteSorted(values);
  if (sorted.length === 0) throw new InvalidArgumentError(`reference column ${name} has no values`);
  const edges = quantileEdges(sorted, options.bins);
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of sorted) counts[binIndex(edges, v)]++;
  const distinct = distinctSorted(sorted);
  return {
    kind: 'numeric',
    name,
    count: sorted.length,
    std: populationStd(sorted),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    distinct: distinct.length,
    ...(sorted.length <= (options.rawLimit ?? RAW_REFERENCE_LIMIT) ? { values: sorted } : {}),
    histogram: { edges, counts },
  };
}

/** A numeric window counted on a reference's bins (and at its values, when it has them). */
export function numericWindow(
  reference: NumericReference,
  values: ArrayLike<number | null>,
): NumericWindow {
  const sorted = finiteSorted(values);
  const { edges } = reference.histogram;
  const counts = new Array<number>(edges.length - 1).fill(0);
  let below = 0;
  let above = 0;
  for (const v of sorted) {
    const i = binIndex(edges, v);
    if (i < 0) below++;
    else if (i >= counts.length) above++;
    else counts[i]++;
  }
  const window: NumericWindow = {
    kind: 'numeric',
    name: reference.name,
    count: sorted.length,
    histogram: { counts, below, above },
    values: sorted,
  };
  if (sorted.length > 0) {
    window.min = sorted[0];
    window.max = sorted[sorted.length - 1];
  }
  if (reference.values) {
    const atOrBelow: number[] = [];
    const under: number[] = [];
    let k = 0;
    for (const v of distinctSorted(reference.values)) {
      while (k < sorted.length && sorted[k] < v) k++;
      under.push(k);
      let j = k;
      while (j < sorted.length && sorted[j] === v) j++;
      atOrBelow.push(j);
    }
    window.atReference = { atOrBelow, below: under };
  }
  return window;
}

function countCategories(values: ArrayLike<string | null>): CategoryCount[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** A categorical reference from raw values: every category, so it is complete. */
export function categoricalReference(
  name: string,
  values: ArrayLike<string | null>,
): CategoricalReference {
  const categories = countCategories(values);
  const count = categories.reduce((s, c) => s + c.count, 0);
  if (count === 0) throw new InvalidArgumentError(`reference column ${name} has no values`);
  return { kind: 'categorical', name, count, categories, other: 0, complete: true };
}

/** A categorical window from raw values. */
export function categoricalWindow(
  name: string,
  values: ArrayLike<string | null>,
): CategoricalWindow {
  const categories = countCategories(values);
  return {
    kind: 'categorical',
    name,
    count: categories.reduce((s, c) => s + c.count, 0),
    categories,
  };
}
