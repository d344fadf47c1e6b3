// Column and dataset drift with Evidently's default choice of test: by column kind, by the
// reference's size (≤ 1,000 values: a hypothesis test on p-values; more: a distance), and by
// the number of distinct values (≤ 5 numeric values count as categories; 2 use the Z-test).
// Every threshold is an option; PSI is there on request. Dataset drift: the share of
// drifted columns reaches 0.5.
import { InvalidArgumentError } from '../../core/index.js';
import type { ColumnReference, ColumnWindow } from './drift-columns.js';
import { RAW_REFERENCE_LIMIT } from './drift-columns.js';
import { numericDrift, categoryDrift, type DriftMeasure } from './drift-measures.js';

export const DRIFT_TESTS = ['ks', 'wasserstein', 'chisquare', 'z', 'jensenshannon', 'psi'] as const;
export type DriftTest = (typeof DRIFT_TESTS)[number];

/** Evidently's defaults: p-value tests flag at or below 0.05, distances at or above 0.1. */
export const DEFAULT_DRIFT_THRESHOLDS: Readonly<Record<DriftTest, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
  psi: 0.1,
};

/** Evidently's test for a column: numeric with ≤ 5 distinct values counts as categorical. */
export const CATEGORICAL_DISTINCT_LIMIT = 5;

export interface DriftOptions {
  /** Largest reference (non-null values) that gets a p-value test; default 1,000. */
  smallReferenceRows?: number;
  /** Share of drifted columns at which the dataset counts as drifted; default 0.5. */
  driftShare?: number;
  /** Thresholds by test, over the defaults. */
  thresholds?: Partial<Record<DriftTest, number>>;
  /** Per-column test and/or threshold, over the automatic choice. */
  columns?: Record<string, { test?: DriftTest; threshold?: number }>;
}

export interface ColumnDrift {
  column: string;
  kind: 'numeric' | 'categorical';
  test: DriftTest;
  /** p-value for ks/chisquare/z; distance for wasserstein/jensenshannon/psi. */
  score: number;
  scoreKind: 'p_value' | 'distance';
  threshold: number;
  drifted: boolean;
  /** The test statistic behind a p-value (D, χ², z). */
  statistic?: number;
  referenceCount: number;
  currentCount: number;
  /** Why a result is approximate or was skipped. */
  note?: string;
}

export interface DriftReport {
  columns: ColumnDrift[];
  /** Columns with no values in the window or the reference: not tested, not counted. */
  skipped: { column: string; reason: string }[];
  driftedColumns: number;
  testedColumns: number;
  share: number;
  driftShare: number;
  datasetDrift: boolean;
}

function isCategoryLike(reference: ColumnReference): boolean {
  return (
    reference.kind === 'categorical' ||
    (reference.distinct !== undefined && reference.distinct <= CATEGORICAL_DISTINCT_LIMIT)
  );
}

/** The test Evidently would pick for this column by default. */
export function defaultDriftTest(
  reference: ColumnReference,
  window: ColumnWindow,
  smallReferenceRows = RAW_REFERENCE_LIMIT,
): DriftTest {
  const small = reference.count <= smallReferenceRows;
  if (!isCategoryLike(reference)) return small ? 'ks' : 'wasserstein';
  if (!small) return 'jensenshannon';
  const known = new Set<string>();
  if (reference.kind === 'categorical') {
    for (const c of reference.categories) if (c.count > 0) known.add(c.value);
    if (reference.other > 0) known.add('\u0000other');
    for (const c of window.kind === 'categorical' ? window.categories : []) {
      if (c.count > 0) known.add(c.value);
    }
  } else {
    // Low-cardinality numeric: its values, plus any new ones the window brought.
    for (let i = 0; i < (reference.distinct ?? 0); i++) known.add(String(i));
    if (window.kind === 'numeric' && hasValuesOutsideReference(reference, window)) known.add('new');
  }
  return known.size <= 2 ? 'z' : 'chisquare';
}

function hasValuesOutsideReference(reference: ColumnReference, window: ColumnWindow): boolean {
  if (reference.kind !== 'numeric' || window.kind !== 'numeric') return false;
  if (window.atReference) {
    const inside = window.atReference.atOrBelow.reduce(
      (s, v, i) => s + v - window.atReference!.below[i],
      0,
    );
    return inside < window.count;
  }
  return window.histogram.below + window.histogram.above > 0;
}

const SCORE_KIND: Record<DriftTest, 'p_value' | 'distance'> = {
  ks: 'p_value',
  chisquare: 'p_value',
  z: 'p_value',
  wasserstein: 'distance',
  jensenshannon: 'distance',
  psi: 'distance',
};

/** Drifted by the test's own rule: KS at p ≤ t, chi-square and Z at p < t, distances at ≥ t. */
function isDrift(test: DriftTest, score: number, threshold: number): boolean {
  if (Number.isNaN(score)) return false;
  if (test === 'ks') return score <= threshold;
  if (SCORE_KIND[test] === 'p_value') return score < threshold;
  return score >= threshold;
}

function measure(test: DriftTest, reference: ColumnReference, window: ColumnWindow): DriftMeasure {
  if (reference.kind !== window.kind) {
    throw new InvalidArgumentError(
      `column ${reference.name} is ${reference.kind} in the reference but ${window.kind} in the window`,
    );
  }
  const numericTest = test === 'ks' || test === 'wasserstein';
  if (reference.kind === 'categorical' && numericTest) {
    throw new InvalidArgumentError(`${test} needs a numeric column; ${reference.name} is not`);
  }
  if (!numericTest && isCategoryLike(reference)) return categoryDrift(test, reference, window);
  if (
    reference.kind === 'numeric' &&
    window.kind === 'numeric' &&
    test !== 'chisquare' &&
    test !== 'z'
  ) {
    return numericDrift(test, reference, window);
  }
  throw new InvalidArgumentError(
    `${test} needs a categorical column (or a numeric one with at most ${CATEGORICAL_DISTINCT_LIMIT} values); ${reference.name} has more`,
  );
}

/**
 * Drift of each column of a window against the reference, and of the window as a whole.
 * Columns are matched by name; a reference column missing from the window is skipped.
 */
export function detectDrift(
  references: readonly ColumnReference[],
  windows: readonly ColumnWindow[],
  options: DriftOptions = {},
): DriftReport {
  const byName = new Map(windows.map((w) => [w.name, w]));
  const columns: ColumnDrift[] = [];
  const skipped: DriftReport['skipped'] = [];
  for (const reference of references) {
    const window = byName.get(reference.name);
    if (!window) {
      skipped.push({ column: reference.name, reason: 'missing from the window' });
      continue;
    }
    if (reference.count === 0 || window.count === 0) {
      const side = reference.count === 0 ? 'reference' : 'window';
      skipped.push({ column: reference.name, reason: `no values in the ${side}` });
      continue;
    }
    const override = options.columns?.[reference.name];
    const test = override?.test ?? defaultDriftTest(reference, window, options.smallReferenceRows);
    const threshold =
      override?.threshold ?? options.thresholds?.[test] ?? DEFAULT_DRIFT_THRESHOLDS[test];
    const result = measure(test, reference, window);
    columns.push({
      column: reference.name,
      kind: reference.kind,
      test,
      score: result.score,
      scoreKind: SCORE_KIND[test],
      threshold,
      drifted: isDrift(test, result.score, threshold),
      ...(result.statistic !== undefined ? { statistic: result.statistic } : {}),
      referenceCount: reference.count,
      currentCount: window.count,
      ...(result.note ? { note: result.note } : {}),
    });
  }
  const driftedColumns = columns.filter((c) => c.drifted).length;
  const share = columns.length > 0 ? driftedColumns / columns.length : 0;
  const driftShare = options.driftShare ?? 0.5;
  return {
    columns,
    skipped,
    driftedColumns,
    testedColumns: columns.length,
    share,
    driftShare,
    datasetDrift: columns.length > 0 && share >= driftShare,
  };
}
