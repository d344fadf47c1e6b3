// Gyre's drift statistics against scipy on the same samples: every sample is drawn here from a
// seeded generator and sent to test/ml/fixtures/drift_reference.py (Debian's python3-scipy).
// Where scipy is exact (KS statistic and exact p-value, Wasserstein, chi-square, JS) the
// answers agree to 1e-9 relative or better; the asymptotic KS p-value too, since both sides
// evaluate the same finite-n Kolmogorov distribution.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SeededRandom,
  categoryChiSquare,
  chiSquareSurvival,
  jensenShannonDistance,
  kolmogorovSmirnovSurvival,
  ksStatisticAtReference,
  ksTest,
  normalCdf,
  normedWasserstein,
  populationStd,
  proportionZTest,
  regularizedGammaQ,
  wassersteinDistance,
} from '../../src/ml/index.js';
import { REPO_ROOT } from '../fixtures/data-files.js';

type Row = Record<string, number>;
interface Reference {
  ks: Row[];
  wasserstein: Row[];
  chisquare: Row[];
  jensenshannon: Row[];
  ztest: Row[];
  kstwo_sf: number[];
  chi2_sf: number[];
  gammaincc: number[];
  ndtr: number[];
}

function scipy(cases: Record<string, unknown>): Reference {
  const out = execFileSync(
    '/usr/bin/python3',
    [resolve(REPO_ROOT, 'test/ml/fixtures/drift_reference.py')],
    { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  return JSON.parse(out) as Reference;
}

/** Normal draws by Box–Muller over the seeded uniform generator. */
function normals(rng: SeededRandom, n: number, mean = 0, sd = 1, round?: number): number[] {
  return Array.from({ length: n }, () => {
    const u = 1 - rng.next();
    const v = rng.next();
    const x = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return round ? Math.round(x * round) / round : x;
  });
}

/** Relative difference, with an absolute floor so values at 0 compare sanely. */
function relative(a: number, b: number, floor = 1e-300): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

const rng = new SeededRandom(20240611);
// Sizes cover scipy's exact branches (equal sizes; unequal sizes) and its asymptotic one
// (a side over 10,000); shifts make p-values from ~1 down to ~1e-30; rounding makes ties.
const ksCases = [
  { a: normals(rng, 20), b: normals(rng, 35, 0.3) },
  { a: normals(rng, 50), b: normals(rng, 50, 0.5) },
  { a: normals(rng, 100), b: normals(rng, 250, 0, 1.2) },
  { a: normals(rng, 300, 0, 1, 2), b: normals(rng, 1000, 0.1, 1, 2) },
  { a: normals(rng, 1000), b: normals(rng, 1000, 0.05) },
  { a: normals(rng, 1000), b: normals(rng, 7000, 0.4) },
  { a: normals(rng, 999), b: normals(rng, 10_000, 0.02) },
  { a: normals(rng, 500), b: normals(rng, 20_000, 0.1) },
  { a: normals(rng, 1000), b: normals(rng, 50_000, 0.3) },
  { a: normals(rng, 1000, 0, 1, 1), b: normals(rng, 30_000, 0, 1, 1) },
  { a: normals(rng, 12_000), b: normals(rng, 15_000, 0.03) },
];
const wassersteinCases = [
  { a: normals(rng, 30), b: normals(rng, 40, 1) },
  { a: normals(rng, 1000, 5, 2), b: normals(rng, 3000, 5.3, 2.5) },
  { a: normals(rng, 2000, 0, 1, 4), b: normals(rng, 50_000, 0.1, 1, 4) },
  { a: Array(50).fill(7), b: normals(rng, 60, 7, 0.01) },
];
const counts = (k: number, n: number, skew: number) => {
  const c = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) c[Math.min(k - 1, Math.floor(rng.next() ** skew * k))]++;
  return c;
};
const chiCases = [
  { reference: counts(3, 800, 1), current: counts(3, 500, 1) },
  { reference: counts(5, 1000, 1), current: counts(5, 20_000, 1.15) },
  { reference: counts(12, 900, 1.5), current: counts(12, 900, 1.5) },
  { reference: counts(40, 1000, 1), current: counts(40, 100_000, 2) },
  { reference: [10, 20, 0], current: [12, 18, 3] },
];
const jsCases = [
  { p: counts(4, 5000, 1), q: counts(4, 8000, 1.3) },
  { p: counts(20, 100_000, 1), q: counts(20, 1_000_000, 1.02) },
  { p: [5, 0, 3], q: [0, 4, 4] },
];
const zCases = [
  { reference: [400, 600], current: [4300, 5700] },
  { reference: [10, 990], current: [30, 970] },
  { reference: [500, 500], current: [9000, 1000] },
];

const kstwo: [number, number][] = [];
for (const n of [3, 17, 100, 140, 141, 600, 5000, 120_000]) {
  for (const z of [0.4, 0.8, 1.1, 1.6, 2.4, 4]) kstwo.push([n, z / Math.sqrt(n)]);
}
const chi2: [number, number][] = [];
for (const k of [1, 2, 4, 9, 30, 199]) for (const f of [0.05, 0.8, 1.3, 4]) chi2.push([k * f, k]);
const gammaincc: [number, number][] = [
  [0.5, 0.1],
  [0.5, 30],
  [3, 2],
  [12.5, 40],
  [250, 260],
];
const ndtr = [-9, -3.5, -1, 0, 0.7, 2.2, 6];

const ref = scipy({
  ks: ksCases,
  wasserstein: wassersteinCases,
  chisquare: chiCases,
  jensenshannon: jsCases,
  ztest: zCases,
  kstwo_sf: kstwo,
  chi2_sf: chi2,
  gammaincc,
  ndtr,
});

describe('two-sample Kolmogorov–Smirnov against scipy ks_2samp', () => {
  it.each(ksCases.map((c, i) => [i, c] as const))('case %i', (i, { a, b }) => {
    const mine = ksTest(a, b);
    expect(relative(mine.statistic, ref.ks[i].statistic)).toBeLessThan(1e-12);
    expect(relative(mine.pValue, ref.ks[i].pvalue)).toBeLessThan(1e-9);
    expect(mine.method).toBe(Math.max(a.length, b.length) <= 10_000 ? 'exact' : 'asymptotic');
  });

  it('gets the same statistic from the current counts at the reference values', () => {
    for (const { a, b } of ksCases) {
      const reference = Float64Array.from(a).sort();
      const distinct = [...new Set(reference)];
      const sorted = Float64Array.from(b).sort();
      const countBelow = (v: number, orEqual: boolean) => {
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (sorted[mid] < v || (orEqual && sorted[mid] === v)) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const atOrBelow = distinct.map((v) => countBelow(v, true));
      const below = distinct.map((v) => countBelow(v, false));
      const fromCounts = ksStatisticAtReference(reference, { atOrBelow, below, count: b.length });
      const direct = ksTest(a, b, 'asymptotic').statistic;
      expect(fromCounts).toBe(direct);
    }
  });

  it('evaluates the finite-n Kolmogorov distribution as scipy kstwo.sf does', () => {
    kstwo.forEach(([n, d], i) => {
      expect(relative(kolmogorovSmirnovSurvival(n, d), ref.kstwo_sf[i])).toBeLessThan(1e-10);
    });
  });
});

describe('Wasserstein distance against scipy', () => {
  it.each(wassersteinCases.map((c, i) => [i, c] as const))('case %i', (i, { a, b }) => {
    const distance = wassersteinDistance(a, b);
    expect(relative(distance, ref.wasserstein[i].distance)).toBeLessThan(1e-11);
    const normed = normedWasserstein(distance, populationStd(a));
    expect(relative(normed, ref.wasserstein[i].normed)).toBeLessThan(1e-11);
  });
});

describe('category tests against scipy', () => {
  it.each(chiCases.map((c, i) => [i, c] as const))('chi-square case %i', (i, c) => {
    const mine = categoryChiSquare(c.reference, c.current);
    expect(relative(mine.statistic, ref.chisquare[i].statistic)).toBeLessThan(1e-12);
    expect(relative(mine.pValue, ref.chisquare[i].pvalue)).toBeLessThan(1e-9);
  });

  it.each(jsCases.map((c, i) => [i, c] as const))('Jensen–Shannon case %i', (i, c) => {
    expect(relative(jensenShannonDistance(c.p, c.q), ref.jensenshannon[i].distance)).toBeLessThan(
      1e-12,
    );
  });

  it.each(zCases.map((c, i) => [i, c] as const))('proportion Z-test case %i', (i, c) => {
    const mine = proportionZTest(c.reference as [number, number], c.current as [number, number]);
    expect(relative(mine.statistic, ref.ztest[i].statistic)).toBeLessThan(1e-12);
    // 2·(1 − Φ(|z|)) is computed as a difference from 1 on both sides: compare absolutely.
    expect(Math.abs(mine.pValue - ref.ztest[i].pvalue)).toBeLessThan(1e-15);
  });
});

describe('special functions against scipy', () => {
  it('chi-square survival, incomplete gamma and the normal CDF', () => {
    chi2.forEach(([x, k], i) => {
      expect(relative(chiSquareSurvival(x, k), ref.chi2_sf[i])).toBeLessThan(1e-11);
    });
    gammaincc.forEach(([a, x], i) => {
      expect(relative(regularizedGammaQ(a, x), ref.gammaincc[i])).toBeLessThan(1e-11);
    });
    ndtr.forEach((x, i) => expect(relative(normalCdf(x), ref.ndtr[i])).toBeLessThan(1e-12));
  });
});
