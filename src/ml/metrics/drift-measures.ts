// One drift test on one column, from whatever the summaries hold: raw values give exact
// answers; bins give the distance between binned distributions (said so in a note).
import { InvalidArgumentError } from '../../core/index.js';
import { categoryChiSquare, proportionZTest } from './drift-category-tests.js';
import type {
  CategoricalReference,
  CategoricalWindow,
  NumericReference,
  NumericWindow,
} from './drift-columns.js';
import { distinctSorted } from './drift-columns.js';
import {
  jensenShannonDistance,
  normedWasserstein,
  wassersteinDistanceBinned,
  wassersteinDistanceSorted,
} from './drift-distances.js';
import { ksPValue, ksStatistic, ksStatisticAtReference } from './drift-ks-test.js';
import { populationStabilityIndex } from './drift-metrics.js';

export interface DriftMeasure {
  score: number;
  statistic?: number;
  note?: string;
}

type CountTest = 'chisquare' | 'z' | 'jensenshannon' | 'psi';

const BINNED = 'from histograms on the reference bins (approximate)';

/** Reference and window counts over the reference's bins, plus below/above for the window. */
function binVectors(reference: NumericReference, window: NumericWindow): [number[], number[]] {
  const { counts, below, above } = window.histogram;
  return [
    [0, ...reference.histogram.counts, 0],
    [below, ...counts, above],
  ];
}

/** KS statistic at the bin edges only: a lower bound of the true statistic. */
function binnedKsStatistic(reference: NumericReference, window: NumericWindow): number {
  const [ref, cur] = binVectors(reference, window);
  let cumRef = 0;
  let cumCur = 0;
  let d = 0;
  for (let i = 0; i < ref.length; i++) {
    cumRef += ref[i];
    cumCur += cur[i];
    d = Math.max(d, Math.abs(cumRef / reference.count - cumCur / window.count));
  }
  return d;
}

export function numericDrift(
  test: 'ks' | 'wasserstein' | 'psi' | 'jensenshannon',
  reference: NumericReference,
  window: NumericWindow,
): DriftMeasure {
  switch (test) {
    case 'ks': {
      let statistic: number;
      let note: string | undefined;
      if (reference.values && window.atReference) {
        statistic = ksStatisticAtReference(reference.values, {
          ...window.atReference,
          count: window.count,
        });
      } else if (reference.values && window.values) {
        statistic = ksStatistic(reference.values, window.values);
      } else {
        statistic = binnedKsStatistic(reference, window);
        note = 'KS statistic at the reference bin edges only (a lower bound; p-value too high)';
      }
      const result = ksPValue(statistic, reference.count, window.count);
      return { score: result.pValue, statistic: result.statistic, ...(note ? { note } : {}) };
    }
    case 'wasserstein': {
      if (reference.values && window.values) {
        const distance = wassersteinDistanceSorted(reference.values, window.values);
        return { score: normedWasserstein(distance, reference.std) };
      }
      const distance = wassersteinDistanceBinned(reference.histogram, {
        edges: reference.histogram.edges,
        ...window.histogram,
        ...(window.min !== undefined ? { min: window.min } : {}),
        ...(window.max !== undefined ? { max: window.max } : {}),
      });
      return { score: normedWasserstein(distance, reference.std), note: BINNED };
    }
    case 'psi': {
      const [ref, cur] = binVectors(reference, window);
      return { score: populationStabilityIndex(ref, cur), note: BINNED };
    }
    case 'jensenshannon': {
      const [ref, cur] = binVectors(reference, window);
      return { score: jensenShannonDistance(ref, cur), note: BINNED };
    }
  }
}

/** Counts over the union of categories; without a complete reference, new ones pool in "other". */
function categoricalVectors(
  reference: CategoricalReference,
  window: CategoricalWindow,
): [number[], number[]] {
  const index = new Map(reference.categories.map((c, i) => [c.value, i]));
  const ref = [...reference.categories.map((c) => c.count), reference.other];
  const cur = new Array<number>(ref.length).fill(0);
  for (const c of window.categories) {
    const i = index.get(c.value);
    if (i !== undefined) cur[i] += c.count;
    else if (reference.complete) {
      ref.push(0);
      cur.push(c.count);
    } else cur[reference.categories.length] += c.count;
  }
  return [ref, cur];
}

/** A numeric column with few values, counted per value (or per bin for a binned reference). */
function lowCardinalityVectors(
  reference: NumericReference,
  window: NumericWindow,
): [number[], number[]] {
  if (!reference.values) return binVectors(reference, window);
  const values = distinctSorted(reference.values);
  const ref = new Array<number>(values.length + 1).fill(0);
  let k = 0;
  for (let i = 0; i < reference.values.length; i++) {
    while (values[k] !== reference.values[i]) k++;
    ref[k]++;
  }
  let cur: number[];
  if (window.atReference) {
    cur = window.atReference.atOrBelow.map((v, i) => v - window.atReference!.below[i]);
  } else if (window.values) {
    const counts = new Map<number, number>();
    for (let i = 0; i < window.values.length; i++) {
      counts.set(window.values[i], (counts.get(window.values[i]) ?? 0) + 1);
    }
    cur = values.map((v) => counts.get(v) ?? 0);
  } else {
    throw new InvalidArgumentError(`window column ${reference.name} lacks counts per value`);
  }
  // New values the reference never had, in one pool.
  cur.push(window.count - cur.reduce((s, c) => s + c, 0));
  return [ref, cur];
}

export function categoryDrift(
  test: CountTest,
  reference: CategoricalReference | NumericReference,
  window: CategoricalWindow | NumericWindow,
): DriftMeasure {
  const [ref, cur] =
    reference.kind === 'categorical' && window.kind === 'categorical'
      ? categoricalVectors(reference, window)
      : lowCardinalityVectors(reference as NumericReference, window as NumericWindow);
  switch (test) {
    case 'chisquare': {
      const result = categoryChiSquare(ref, cur);
      return { score: result.pValue, statistic: result.statistic };
    }
    case 'z': {
      const used = ref.map((r, i) => [r, cur[i]] as const).filter(([r, c]) => r + c > 0);
      if (used.length > 2) {
        throw new InvalidArgumentError(
          `the Z-test needs at most two values; ${reference.name} has more`,
        );
      }
      if (used.length < 2) return { score: 1, statistic: 0 };
      const result = proportionZTest([used[0][0], used[1][0]], [used[0][1], used[1][1]]);
      return { score: result.pValue, statistic: result.statistic };
    }
    case 'jensenshannon':
      return { score: jensenShannonDistance(ref, cur) };
    case 'psi':
      return { score: populationStabilityIndex(ref, cur) };
  }
}
