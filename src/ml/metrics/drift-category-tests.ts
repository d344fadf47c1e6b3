// Tests on category counts: Pearson's chi-square goodness of fit (scipy's `chisquare`), set
// up as Evidently does for drift — the current window's counts against the reference's,
// scaled to the window's size — and the two-proportion Z-test Evidently uses for binary columns.
import { InvalidArgumentError } from '../../core/index.js';
import { chiSquareSurvival, normalCdf } from './drift-special-functions.js';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  /** Degrees of freedom: categories − 1. */
  dof: number;
}

/**
 * Pearson's chi-square test of observed against expected counts (scipy's `chisquare`): a
 * category expected never but observed makes the statistic infinite and the p-value 0.
 * Categories with neither expected nor observed counts carry no information and are skipped.
 */
export function chiSquareTest(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
): ChiSquareResult {
  if (observed.length !== expected.length) {
    throw new InvalidArgumentError('observed and expected counts differ in length');
  }
  let statistic = 0;
  let categories = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i];
    const e = expected[i];
    if (o === 0 && e === 0) continue;
    categories++;
    statistic += e > 0 ? (o - e) ** 2 / e : Infinity;
  }
  const dof = categories - 1;
  // One category leaves nothing to compare: scipy answers NaN, which no threshold flags.
  if (dof < 1) return { statistic: 0, pValue: 1, dof: Math.max(dof, 0) };
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}

function total(counts: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i];
  return s;
}

/**
 * Evidently's chi-square drift test: over the union of categories, expected = reference count
 * × (current size / reference size), observed = current count.
 */
export function categoryChiSquare(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareResult {
  const nRef = total(referenceCounts);
  const nCur = total(currentCounts);
  if (!(nRef > 0 && nCur > 0)) throw new InvalidArgumentError('chi-square needs non-empty samples');
  const scale = nCur / nRef;
  return chiSquareTest(
    currentCounts,
    Float64Array.from(referenceCounts, (c) => c * scale),
  );
}

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * Two-sided Z-test for a difference of proportions, pooled (Evidently's test for binary
 * columns): `referenceCounts` and `currentCounts` hold the two categories' counts in the
 * same order. Identical single-valued samples give p = 1.
 */
export function proportionZTest(
  referenceCounts: readonly [number, number],
  currentCounts: readonly [number, number],
): ZTestResult {
  const n1 = referenceCounts[0] + referenceCounts[1];
  const n2 = currentCounts[0] + currentCounts[1];
  if (!(n1 > 0 && n2 > 0)) throw new InvalidArgumentError('the Z-test needs non-empty samples');
  const p1 = referenceCounts[1] / n1;
  const p2 = currentCounts[1] / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  if (pooled === 0 || pooled === 1) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}
