// Special functions the drift tests' p-values rest on: log-gamma, the regularized incomplete
// gamma functions (chi-square survival), the normal CDF, and Loader's saddle-point pieces that
// let binomial-like terms be summed without losing digits. Written for full double accuracy,
// because scipy is the reference and tests compare to 1e-9 relative.

/** Lanczos coefficients (g = 7, n = 9): about 15 correct digits for x > 0. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = Number.EPSILON;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** e^(-x) x^a / Γ(a), the prefactor both the series and the continued fraction share. */
function gammaPrefactor(a: number, x: number): number {
  return Math.exp(a * Math.log(x) - x - logGamma(a));
}

/** Lower series Σ x^n / (a (a+1) … (a+n)); converges fast for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * gammaPrefactor(a, x);
}

/** Upper continued fraction (modified Lentz); converges fast for x ≥ a + 1. */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h * gammaPrefactor(a, x);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate when it is tiny. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** P(X ≥ x) for X ~ χ²(dof): scipy's `chi2.sf(x, dof)`. */
export function chiSquareSurvival(x: number, dof: number): number {
  if (!(dof > 0)) return NaN;
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}

/** erfc(x) = Q(1/2, x²) for x ≥ 0, reflected for x < 0. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x >= 0 ? regularizedGammaQ(0.5, x * x) : 2 - regularizedGammaQ(0.5, x * x);
}

/** Standard normal CDF Φ(x), computed as scipy's `ndtr` does (via erfc of the far tail). */
export function normalCdf(x: number): number {
  const z = x / Math.SQRT2;
  return z < 0 ? 0.5 * erfc(-z) : 1 - 0.5 * erfc(z);
}

/** ln Γ(k + 1) − ln(√(2π) k^(k+½) e^(−k)) for k = 0..15, exact to double rounding. */
const STIRLING_ERROR_SMALL = Array.from({ length: 16 }, (_, k) => {
  if (k === 0) return 0;
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  return logFactorial - (k + 0.5) * Math.log(k) + k - LOG_SQRT_2PI;
});

/**
 * The error of Stirling's formula for ln k!, δ(k) (Loader 2000). Summing a binomial term as
 * its pieces (ln n! − ln v! − …) cancels ~n·log n digits away; δ keeps them.
 */
export function stirlingError(k: number): number {
  if (k <= 15 && Number.isInteger(k)) return STIRLING_ERROR_SMALL[k];
  const s0 = 1 / 12;
  const s1 = 1 / 360;
  const s2 = 1 / 1260;
  const s3 = 1 / 1680;
  const s4 = 1 / 1188;
  const kk = k * k;
  if (k > 500) return (s0 - s1 / kk) / k;
  if (k > 80) return (s0 - (s1 - s2 / kk) / kk) / k;
  if (k > 35) return (s0 - (s1 - (s2 - s3 / kk) / kk) / kk) / k;
  if (k > 15) return (s0 - (s1 - (s2 - (s3 - s4 / kk) / kk) / kk) / kk) / k;
  return logGamma(k + 1) - (k + 0.5) * Math.log(k) + k - LOG_SQRT_2PI;
}

/**
 * The deviance term x·ln(x/μ) + μ − x without cancellation when x ≈ μ (Loader 2000): the
 * part of a binomial log-probability that is small exactly where the probability is large.
 */
export function binomialDeviance(x: number, mu: number): number {
  if (Math.abs(x - mu) < 0.1 * (x + mu)) {
    let v = (x - mu) / (x + mu);
    let s = (x - mu) * v;
    if (Math.abs(s) < Number.MIN_VALUE) return s;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = s + ej / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
  }
  return x * Math.log(x / mu) + mu - x;
}

/**
 * ln of the binomial probability C(n, k) p^k q^(n−k), given n·p and n·q (which callers often
 * know more exactly than p and q), to nearly full relative precision (Loader's dbinom).
 */
export function logBinomialProbability(k: number, n: number, np: number, nq: number): number {
  if (k === 0) return -binomialDeviance(n, nq) - np;
  if (k === n) return -binomialDeviance(n, np) - nq;
  const lc =
    stirlingError(n) -
    stirlingError(k) -
    stirlingError(n - k) -
    binomialDeviance(k, np) -
    binomialDeviance(n - k, nq);
  const lf = Math.log(2 * Math.PI) + Math.log(k) + Math.log1p(-k / n);
  return lc - 0.5 * lf;
}
