// Distances between two distributions for drift: Wasserstein-1 (exact over sorted samples,
// or over histograms when a window is too large to hold), Evidently's normed Wasserstein, and
// the Jensen–Shannon distance. Sums are compensated so a million-term sum keeps its digits.
import { InvalidArgumentError } from '../../core/index.js';

/** Neumaier's compensated sum: plain summation loses ~log10(n) digits on long sums. */
class CompensatedSum {
  private sum = 0;
  private carry = 0;

  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.carry += this.sum - t + x;
    else this.carry += x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.carry;
  }
}

/** Population standard deviation (numpy's `std`, ddof = 0). */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const total = new CompensatedSum();
  for (let i = 0; i < n; i++) total.add(values[i]);
  const mean = total.value / n;
  const squares = new CompensatedSum();
  for (let i = 0; i < n; i++) squares.add((values[i] - mean) ** 2);
  return Math.sqrt(squares.value / n);
}

/**
 * Wasserstein-1 distance between two sorted samples: ∫ |F_a − F_b| dx over the merged
 * values (scipy's `wasserstein_distance` with unit weights).
 */
export function wassersteinDistanceSorted(
  sortedA: ArrayLike<number>,
  sortedB: ArrayLike<number>,
): number {
  const na = sortedA.length;
  const nb = sortedB.length;
  if (na === 0 || nb === 0)
    throw new InvalidArgumentError('Wasserstein needs two non-empty samples');
  const total = new CompensatedSum();
  let i = 0;
  let j = 0;
  let previous = Math.min(sortedA[0], sortedB[0]);
  while (i < na || j < nb) {
    const v = j >= nb || (i < na && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
    // Between the previous value and this one both ECDFs are flat.
    if (v > previous) total.add(Math.abs(i / na - j / nb) * (v - previous));
    while (i < na && sortedA[i] <= v) i++;
    while (j < nb && sortedB[j] <= v) j++;
    previous = v;
  }
  return total.value;
}

/** Wasserstein-1 distance between two raw samples (copied and sorted). */
export function wassersteinDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return wassersteinDistanceSorted(Float64Array.from(a).sort(), Float64Array.from(b).sort());
}

/**
 * A sample summarized as counts over shared bin edges. Values below the first edge and above
 * the last are counted apart and spread over [min, first edge] and [last edge, max].
 */
export interface BinnedSample {
  /** n + 1 ascending edges. */
  edges: ArrayLike<number>;
  /** n counts; values inside a bin are taken as spread evenly across it. */
  counts: ArrayLike<number>;
  below?: number;
  above?: number;
  /** The smallest value (needed when `below` > 0). */
  min?: number;
  /** The largest value (needed when `above` > 0). */
  max?: number;
}

interface Knots {
  xs: number[];
  cum: number[];
}

/** The piecewise-linear CDF of a binned sample as knots (x, F(x)); jumps repeat an x. */
function knotsOf(sample: BinnedSample): Knots {
  const { edges, counts } = sample;
  if (edges.length !== counts.length + 1) {
    throw new InvalidArgumentError('a histogram needs one more edge than counts');
  }
  const below = sample.below ?? 0;
  const above = sample.above ?? 0;
  let total = below + above;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (!(total > 0)) throw new InvalidArgumentError('a histogram needs at least one value');
  const xs: number[] = [];
  const cum: number[] = [];
  let running = 0;
  if (below > 0) {
    xs.push(Math.min(sample.min ?? edges[0], edges[0]));
    cum.push(0);
    running = below;
  }
  xs.push(edges[0]);
  cum.push(running / total);
  for (let i = 0; i < counts.length; i++) {
    running += counts[i];
    xs.push(edges[i + 1]);
    cum.push(running / total);
  }
  if (above > 0) {
    xs.push(Math.max(sample.max ?? edges[edges.length - 1], edges[edges.length - 1]));
    cum.push(1);
  }
  return { xs, cum };
}

/**
 * F(x⁻) and F(x⁺) of a knot CDF at each of the ascending points `at` (which include all its
 * knots). The first knot's F is 0 by construction, so left limits need no special case.
 */
function limits(k: Knots, at: number[]): { left: Float64Array; right: Float64Array } {
  const { xs, cum } = k;
  const last = xs.length - 1;
  const left = new Float64Array(at.length);
  const right = new Float64Array(at.length);
  let p = 0;
  at.forEach((x, i) => {
    if (x < xs[0]) return;
    if (x > xs[last]) {
      left[i] = right[i] = 1;
      return;
    }
    while (xs[p] < x) p++;
    if (xs[p] === x) {
      let q = p;
      while (q < last && xs[q + 1] === x) q++;
      left[i] = cum[p];
      right[i] = cum[q];
    } else {
      const t = (x - xs[p - 1]) / (xs[p] - xs[p - 1]);
      left[i] = right[i] = cum[p - 1] + (cum[p] - cum[p - 1]) * t;
    }
  });
  return { left, right };
}

/**
 * Wasserstein-1 distance between two binned samples, taking values as spread evenly within
 * each bin: exact for those piecewise-linear CDFs, and within a bin's width of the distance
 * between the raw samples (far less for smooth data). Both must use the same edges.
 */
export function wassersteinDistanceBinned(a: BinnedSample, b: BinnedSample): number {
  const ka = knotsOf(a);
  const kb = knotsOf(b);
  const xs = [...new Set([...ka.xs, ...kb.xs])].sort((x, y) => x - y);
  const fa = limits(ka, xs);
  const fb = limits(kb, xs);
  const total = new CompensatedSum();
  for (let k = 1; k < xs.length; k++) {
    // On (xs[k-1], xs[k]) both CDFs are linear, so their gap is too: integrate |gap| exactly.
    const d0 = fa.right[k - 1] - fb.right[k - 1];
    const d1 = fa.left[k] - fb.left[k];
    const width = xs[k] - xs[k - 1];
    if (d0 === 0 && d1 === 0) continue;
    total.add(
      d0 * d1 >= 0
        ? (width * (Math.abs(d0) + Math.abs(d1))) / 2
        : (width * (d0 * d0 + d1 * d1)) / (2 * (Math.abs(d0) + Math.abs(d1))),
    );
  }
  return total.value;
}

/** Floor on the reference's spread, as Evidently's normed Wasserstein uses. */
export const WASSERSTEIN_MIN_STD = 0.001;

/** Evidently's normed Wasserstein: W₁ divided by the reference's std (floored at 0.001). */
export function normedWasserstein(distance: number, referenceStd: number): number {
  return distance / Math.max(referenceStd, WASSERSTEIN_MIN_STD);
}

/** Σ x·ln(x/y), with 0·ln(0/y) = 0 (scipy's `rel_entr`). */
function relativeEntropy(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const total = new CompensatedSum();
  for (let i = 0; i < p.length; i++) {
    if (p[i] > 0) total.add(q[i] > 0 ? p[i] * Math.log(p[i] / q[i]) : Infinity);
  }
  return total.value;
}

/**
 * Jensen–Shannon distance (the square root of the divergence) between two count or weight
 * vectors over the same bins, each normalized to sum to 1 first. Base 2 by default, as
 * Evidently passes to scipy's `jensenshannon` (whose own default is e): the result then
 * lies in [0, 1].
 */
export function jensenShannonDistance(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  base = 2,
): number {
  if (p.length !== q.length || p.length === 0) {
    throw new InvalidArgumentError('Jensen–Shannon needs two weight vectors of one length');
  }
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  if (!(sp > 0 && sq > 0)) throw new InvalidArgumentError('Jensen–Shannon needs positive weights');
  const pn = Float64Array.from(p, (x) => x / sp);
  const qn = Float64Array.from(q, (x) => x / sq);
  const m = pn.map((x, i) => (x + qn[i]) / 2);
  let js = relativeEntropy(pn, m) + relativeEntropy(qn, m);
  js /= Math.log(base);
  return Math.sqrt(Math.max(js, 0) / 2);
}
