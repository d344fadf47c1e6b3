// The two-sample Kolmogorov–Smirnov test, two-sided, as scipy's `ks_2samp(method='auto')`:
// the exact null distribution when both samples have at most 10,000 values, the finite-n
// Kolmogorov distribution at the effective size m·n/(m+n) otherwise. The statistic can come
// from two sorted samples, or from a sorted reference plus the current window's counts at
// the reference's values — which is all a large window has to send over from DuckDB.
import { InvalidArgumentError } from '../../core/index.js';
import { kolmogorovSmirnovSurvival } from './drift-kolmogorov.js';

/** scipy's limit on sample size for an exact p-value in 'auto' mode. */
export const KS_EXACT_MAX_N = 10_000;

export type KsMethod = 'auto' | 'exact' | 'asymptotic';

export interface KsResult {
  /** sup |F_ref − F_cur|, on the lattice of 1/lcm(n₁, n₂) when computed exactly (as scipy). */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

function checkSorted(values: ArrayLike<number>, name: string): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1] <= values[i])) {
      throw new InvalidArgumentError(`${name} must be sorted ascending and free of NaN`);
    }
  }
}

/** The KS statistic of two sorted samples: the largest gap between their empirical CDFs. */
export function ksStatistic(sortedA: ArrayLike<number>, sortedB: ArrayLike<number>): number {
  const n1 = sortedA.length;
  const n2 = sortedB.length;
  if (n1 === 0 || n2 === 0) throw new InvalidArgumentError('KS needs two non-empty samples');
  let i = 0;
  let j = 0;
  let max = 0;
  let min = 0;
  while (i < n1 || j < n2) {
    // Step past every copy of the next value in both samples, then compare the ECDFs there.
    const v = j >= n2 || (i < n1 && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
    while (i < n1 && sortedA[i] <= v) i++;
    while (j < n2 && sortedB[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > max) max = diff;
    if (diff < min) min = diff;
  }
  return Math.max(max, Math.min(-min, 1));
}

/**
 * The KS statistic when only the reference is at hand value by value: `sortedReference` and,
 * for each of its distinct values v (ascending), how many current values are ≤ v and how many
 * are < v. Between two reference values the reference ECDF is flat and the current one only
 * rises, so the gap peaks at the ends of each interval — exactly the numbers given — and the
 * result equals the statistic over the raw samples.
 */
export function ksStatisticAtReference(
  sortedReference: ArrayLike<number>,
  current: { atOrBelow: ArrayLike<number>; below: ArrayLike<number>; count: number },
): number {
  const n1 = sortedReference.length;
  const n2 = current.count;
  if (n1 === 0 || n2 === 0) throw new InvalidArgumentError('KS needs two non-empty samples');
  let max = 0;
  let min = 0;
  let refBelow = 0;
  let k = 0;
  for (let i = 0; i < n1;) {
    const v = sortedReference[i];
    while (i < n1 && sortedReference[i] <= v) i++;
    if (k >= current.atOrBelow.length) {
      throw new InvalidArgumentError('current counts must cover every distinct reference value');
    }
    const justBefore = refBelow / n1 - current.below[k] / n2;
    const at = i / n1 - current.atOrBelow[k] / n2;
    max = Math.max(max, justBefore, at);
    min = Math.min(min, justBefore, at);
    refBelow = i;
    k++;
  }
  return Math.max(max, Math.min(-min, 1));
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** P(D ≥ h/n) for equal sizes n: the alternating reflection sum, Horner-nested (scipy). */
function equalSizeTail(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D ≥ h/lcm) for sizes m ≠ n by counting lattice paths that leave the band |x/m − y/n| <
 * h/lcm (Hodges), carried as 1 − p so that small p-values keep their digits (Viehmann 2021).
 */
function unequalSizeTail(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}

/**
 * The two-sided p-value of a KS statistic `d` for sample sizes n1 and n2. 'auto' is exact
 * when both sizes are at most 10,000 (as scipy), else asymptotic.
 */
export function ksPValue(d: number, n1: number, n2: number, method: KsMethod = 'auto'): KsResult {
  if (!(n1 >= 1 && n2 >= 1) || !Number.isInteger(n1) || !Number.isInteger(n2)) {
    throw new InvalidArgumentError('KS sample sizes must be positive integers');
  }
  const exact = method === 'exact' || (method === 'auto' && Math.max(n1, n2) <= KS_EXACT_MAX_N);
  let statistic = d;
  if (exact) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    statistic = h / lcm;
    if (h === 0) return { statistic, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? equalSizeTail(n1, h) : unequalSizeTail(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic, pValue: p, method: 'exact' };
    // Out of range means the exact recursion lost precision; fall back as scipy does.
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const effective = Math.round((m * n) / (m + n));
  const p = kolmogorovSmirnovSurvival(effective, statistic);
  return { statistic, pValue: Math.min(Math.max(p, 0), 1), method: 'asymptotic' };
}

/** The two-sample KS test on two sorted samples (scipy `ks_2samp`, two-sided). */
export function ksTestSorted(
  sortedA: ArrayLike<number>,
  sortedB: ArrayLike<number>,
  method: KsMethod = 'auto',
): KsResult {
  checkSorted(sortedA, 'reference');
  checkSorted(sortedB, 'current');
  return ksPValue(ksStatistic(sortedA, sortedB), sortedA.length, sortedB.length, method);
}

/** The two-sample KS test on raw samples (copied and sorted; NaN rejected). */
export function ksTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  method: KsMethod = 'auto',
): KsResult {
  return ksTestSorted(Float64Array.from(a).sort(), Float64Array.from(b).sort(), method);
}
