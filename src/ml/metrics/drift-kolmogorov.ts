// The finite-n distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n,
// which the two-sample KS test uses for its large-sample p-value (scipy: `kstwo.sf(d, n)`).
// No single formula is accurate everywhere, so this follows Simard & L'Ecuyer (2011) in
// choosing, by n and n·d², among Durbin's matrix method (Marsaglia–Tsang–Wang), Pomeranz's
// recursion, the Pelz–Good series and twice the exact one-sided Smirnov tail — the same
// choices and cut-offs scipy makes, so the two agree to many digits.
import { logBinomialProbability } from './drift-special-functions.js';

const SCALE_UP = 2 ** 128;
const SCALE_DOWN = 2 ** -128;
const MIN_LOG = -708.3964185322641;
const PI2 = Math.PI ** 2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

const clip = (p: number) => Math.min(Math.max(p, 0), 1);

/** x · 2^e without overflowing the intermediate power. */
function ldexp(x: number, e: number): number {
  let v = x;
  let k = e;
  while (k > 1000) {
    v *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    v *= 2 ** -1000;
    k += 1000;
  }
  return v * 2 ** k;
}

/** n·x as an exact integer part and fraction (Dekker's two-product), so floor(n·x) never slips. */
function splitProduct(n: number, x: number): { floor: number; frac: number } {
  const hi = n * x;
  const split = (v: number) => {
    const c = 134217729 * v;
    const big = c - (c - v);
    return [big, v - big];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const lo = nh * xh - hi + nh * xl + nl * xh + nl * xl;
  let floor = Math.floor(hi);
  if (hi === floor && lo < 0) floor -= 1;
  let frac = hi - floor + lo;
  if (frac >= 1) {
    floor += 1;
    frac = 0;
  }
  return { floor, frac: Math.max(frac, 0) };
}

/**
 * P(D⁺_n ≥ x), the one-sided Smirnov tail (scipy's `smirnov(n, x)`), by the Birnbaum–Tingey
 * sum x·Σ C(n,v) (x+v/n)^(v−1) (1−x−v/n)^(n−v), each term evaluated as a binomial
 * probability in log space so no digits cancel, summed with a running log-sum-exp.
 */
export function smirnovSurvival(n: number, x: number): number {
  if (!(n > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxFloor, frac: alpha } = splitProduct(n, x);
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return (1 - x) ** n;
  if (n > 1_000_000) {
    // scipy's approximation beyond its computation limit.
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  // Terms v = 0 .. n − ⌊nx⌋ − 1: exactly those with 1 − x − v/n > 0.
  const last = n - nxFloor - 1;
  let maxLog = -Infinity;
  let scaled = 0;
  for (let v = 0; v <= last; v++) {
    const np = nxFloor + v + alpha; // n·(x + v/n)
    const nq = n - v - nxFloor - alpha; // n·(1 − x − v/n)
    if (!(nq > 0)) break;
    // C(n,v) p^(v−1) q^(n−v) = binom(v; n, p) / p
    const term = logBinomialProbability(v, n, np, nq) - Math.log(np / n);
    if (term > maxLog) {
      scaled = scaled * Math.exp(maxLog - term) + 1;
      maxLog = term;
    } else {
      scaled += Math.exp(term - maxLog);
    }
  }
  return clip(x * Math.exp(maxLog + Math.log(scaled)));
}

/** ln(n! / n^n) by Stirling's series, for large n. */
function logFactorialOverPower(n: number): number {
  // B₂ⱼ / (2j(2j − 1)) for j = 8 … 1, highest power first.
  const coefficients = [
    -3617 / 122400,
    1 / 156,
    -691 / 360360,
    1 / 1188,
    -1 / 1680,
    1 / 1260,
    -1 / 360,
    1 / 12,
  ];
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of coefficients) poly = poly * y + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

function matrixMultiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

/** P(D_n ≤ d) by Durbin's matrix, powered as Marsaglia, Tsang and Wang do (small n·d). */
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * factorial;
  let hm: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) hm[r * m + i] = w[r - i + 1];
  }
  for (let r = 0; r < m; r++) hm[r * m] = v[r];
  for (let c = 0; c < m; c++) hm[(m - 1) * m + c] = v[m - 1 - c];

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = matrixMultiply(power, hm, m);
      exponent += hExponent;
    }
    hm = matrixMultiply(hm, hm, m);
    hExponent *= 2;
    if (Math.abs(hm[(k - 1) * m + (k - 1)]) > SCALE_UP) {
      for (let i = 0; i < hm.length; i++) hm[i] *= SCALE_DOWN;
      hExponent += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= 128;
    }
  }
  return clip(ldexp(p, exponent));
}

/** The window of row i in Pomeranz's recursion. */
function pomeranzBounds(
  i: number,
  n: number,
  ll: number,
  ceilF: number,
  roundF: number,
): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n ≤ d) by Pomeranz's recursion (1974): n ≤ 140 with moderate n·d². */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPower = new Float64Array(size);
  const twoGPower = new Float64Array(size);
  const oneMinusTwoGPower = new Float64Array(size);
  gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1;
  for (let m = 1; m < size; m++) {
    gPower[m] = (gPower[m - 1] * (g / n)) / m;
    twoGPower[m] = (twoGPower[m - 1] * ((2 * g) / n)) / m;
    oneMinusTwoGPower[m] = (oneMinusTwoGPower[m - 1] * ((1 - 2 * g) / n)) / m;
  }
  let previous = new Float64Array(size);
  let current = new Float64Array(size);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilF, roundF);
    const powers =
      i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const length = j2 - k1 + 1;
    if (length <= 0) continue;
    const offset = k1 - previousStart;
    const available = Math.min(length, size - offset);
    const powerCount = Math.min(length, size);
    const from = j1 - k1;
    const count = j2 - j1 + 1;
    let largest = 0;
    for (let c = 0; c < count; c++) {
      // Entry `from + c` of the full convolution of previous[offset..] with powers.
      const at = from + c;
      let s = 0;
      for (let a = Math.max(0, at - powerCount + 1); a <= Math.min(at, available - 1); a++) {
        s += previous[offset + a] * powers[at - a];
      }
      current[c] = s;
      if (s > largest) largest = s;
    }
    if (largest > 0 && largest < SCALE_DOWN) {
      for (let c = 0; c < size; c++) current[c] *= SCALE_UP;
      exponent -= 128;
    }
    currentStart = previousStart + j1 - k1;
  }
  let answer = current[n - currentStart];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      exponent += 128;
    }
    answer *= m;
  }
  return clip(ldexp(answer, exponent));
}

/** Pelz–Good's asymptotic series for P(D_n ≤ x), good for large n and small n·x². */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI2 * PI2 * (1 - 2 * z2)) / 16;
  const k3d = (PI2 ** 3 * (5 - 30 * z2)) / 64;
  const k3c = (PI2 * PI2 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const k = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let j = maxK; j > 0; j--) {
    const m = 2 * j - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * j);
    const coefficients = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m4,
      k3a + k3b * m2 + k3c * m4 + k3d * m6,
    ];
    for (let i = 0; i < 4; i++) k[i] = k[i] * qPower + coefficients[i];
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) k[i] = (k[i] * q * SQRT_2PI) / divisors[i];
  q = Math.exp(-PI2 / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let j = maxK; j > 0; j--) {
    const j2 = j * j;
    const qPower = q ** j2;
    k2Extra += j2 * qPower;
    const jPi = Math.PI * j;
    k3Extra += (sqrt3z + jPi) * (sqrt3z - jPi) * j2 * qPower;
  }
  k[2] += (k2Extra * PI2 * SQRT_2PI) / (-36 * z2 * z);
  k[3] += (k3Extra * PI2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += k[i] / n ** (i / 2);
  return sum;
}

/**
 * P(D_n ≥ d) for the two-sided one-sample KS statistic of a sample of n (scipy's
 * `kstwo.sf(d, n)`, Simard & L'Ecuyer's algorithm choice).
 */
export function kolmogorovSmirnovSurvival(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - d) ** n);
  if (d >= 0.5) return clip(2 * smirnovSurvival(n, d));
  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clip(1 - durbinMatrixCdf(n, d));
    if (nd2 <= 4) return clip(1 - pomeranzCdf(n, d));
    return clip(2 * smirnovSurvival(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip(2 * smirnovSurvival(n, d));
  let cdf: number;
  if (nd2 >= 18) cdf = 1;
  else if (n <= 100_000 && n * d ** 1.5 <= 1.4) cdf = durbinMatrixCdf(n, d);
  else cdf = pelzGoodCdf(n, d);
  return clip(1 - clip(cdf));
}
