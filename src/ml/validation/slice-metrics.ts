import type { RawValue } from '../preprocess/preprocessor.js';
import type { SliceResult, ValidationMetric } from './validation-types.js';

export interface SliceOptions {
  /** How much worse than the whole set (in metric units) a slice may be before it is flagged. */
  threshold: number;
  /** Slices with fewer rows are reported but never flagged (default 30). */
  minRows?: number;
  /** Numeric columns with more distinct values are cut into this many quantile bins (default 4). */
  bins?: number;
}

/** Slice keys of a column: its category, or the quantile bin a number falls in. */
function sliceKeys(values: readonly RawValue[], bins: number): string[] {
  const numeric = values.every((v) => v === null || typeof v === 'number');
  const distinct = new Set(values.map((v) => String(v)));
  if (!numeric || distinct.size <= bins)
    return values.map((v) => (v === null ? 'null' : String(v)));
  const sorted = (values as (number | null)[])
    .filter((v): v is number => v !== null && !Number.isNaN(v))
    .sort((a, b) => a - b);
  const edges = Array.from(
    { length: bins - 1 },
    (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / bins)],
  );
  const label = (i: number) =>
    i === 0
      ? `< ${edges[0]}`
      : i === bins - 1
        ? `>= ${edges[bins - 2]}`
        : `[${edges[i - 1]}, ${edges[i]})`;
  return values.map((v) => {
    if (v === null || Number.isNaN(v)) return 'null';
    let i = 0;
    while (i < edges.length && (v as number) >= edges[i]) i++;
    return label(i);
  });
}

/**
 * The metric on each value (or quantile bin) of a column, flagging slices worse than the
 * whole set by more than `threshold`: a model can look good overall and fail one group.
 */
export function sliceMetrics(
  column: string,
  values: readonly RawValue[],
  y: ArrayLike<number>,
  pred: ArrayLike<number>,
  metric: ValidationMetric,
  options: SliceOptions,
): SliceResult[] {
  const overall = metric.compute(y, pred);
  const minRows = options.minRows ?? 30;
  const groups = new Map<string, number[]>();
  sliceKeys(values, options.bins ?? 4).forEach((key, row) => {
    let rows = groups.get(key);
    if (!rows) groups.set(key, (rows = []));
    rows.push(row);
  });
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, rows]) => {
      const value_ = metric.compute(
        rows.map((r) => y[r]),
        rows.map((r) => pred[r]),
      );
      const worseBy = metric.higherIsBetter ? overall - value_ : value_ - overall;
      return {
        column,
        value,
        rows: rows.length,
        metric: value_,
        flagged: rows.length >= minRows && worseBy > options.threshold,
      };
    });
}
