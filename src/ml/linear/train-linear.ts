import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { defaultFeatureSpecs } from '../feature-spec.js';
import { LinearModel } from './linear-model.js';

function checkInput(x: DenseMatrix, y: ArrayLike<number>): void {
  if (y.length !== x.numRows)
    throw new InvalidArgumentError(`y has ${y.length} rows, x has ${x.numRows}`);
  if (x.numRows === 0) throw new InvalidArgumentError('training needs at least one row');
  for (let i = 0; i < x.values.length; i++) {
    if (!Number.isFinite(x.values[i])) {
      throw new InvalidArgumentError(
        'linear models need finite inputs: impute missing values first',
      );
    }
  }
}

/** Options for {@link trainLinearRegression}. */
export interface LinearRegressionOptions {
  /** Regularisation strength (scikit-learn's `alpha`); 0 is ordinary least squares. */
  alpha?: number;
  /** 0 = ridge, 1 = lasso, between = elastic net. */
  l1Ratio?: number;
  maxIter?: number;
  tol?: number;
  features?: readonly FeatureSpec[];
}

/**
 * Ridge / lasso / elastic-net regression by cyclic coordinate descent on centred data,
 * minimising `1/(2n)·‖y − Xw − b‖² + α·l1Ratio·‖w‖₁ + α·(1 − l1Ratio)/2·‖w‖²` — the same
 * objective as scikit-learn's ElasticNet, so `alpha` means the same thing.
 */
export function trainLinearRegression(
  x: DenseMatrix,
  y: ArrayLike<number>,
  options: LinearRegressionOptions = {},
): LinearModel {
  checkInput(x, y);
  const alpha = options.alpha ?? 1;
  const l1Ratio = options.l1Ratio ?? 0;
  if (!(alpha >= 0) || !(l1Ratio >= 0 && l1Ratio <= 1)) {
    throw new InvalidArgumentError('alpha must be >= 0 and l1Ratio in [0, 1]', { alpha, l1Ratio });
  }
  const { numRows: n, numCols: d, values } = x;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += values[r * d + j] / n;
  let yMean = 0;
  for (let r = 0; r < n; r++) yMean += y[r] / n;
  // Column-major centred copy: coordinate descent walks one column at a time.
  const cols = new Float64Array(n * d);
  const sq = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let r = 0; r < n; r++) {
      const v = values[r * d + j] - mean[j];
      cols[j * n + r] = v;
      sq[j] += v * v;
    }
  }
  const resid = new Float64Array(n);
  for (let r = 0; r < n; r++) resid[r] = y[r] - yMean;
  const w = new Float64Array(d);
  const l1 = alpha * l1Ratio * n;
  const l2 = alpha * (1 - l1Ratio) * n;
  const maxIter = options.maxIter ?? 1000;
  const tol = options.tol ?? 1e-7;
  for (let iter = 0; iter < maxIter; iter++) {
    let maxDelta = 0;
    let maxW = 0;
    for (let j = 0; j < d; j++) {
      if (sq[j] === 0) continue;
      const col = cols.subarray(j * n, (j + 1) * n);
      let rho = 0;
      for (let r = 0; r < n; r++) rho += col[r] * resid[r];
      rho += sq[j] * w[j];
      const soft = rho > l1 ? rho - l1 : rho < -l1 ? rho + l1 : 0;
      const next = soft / (sq[j] + l2);
      const delta = next - w[j];
      if (delta !== 0) {
        for (let r = 0; r < n; r++) resid[r] -= delta * col[r];
        w[j] = next;
      }
      maxDelta = Math.max(maxDelta, Math.abs(delta));
      maxW = Math.max(maxW, Math.abs(next));
    }
    if (maxDelta <= tol * Math.max(maxW, 1)) break;
  }
  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= w[j] * mean[j];
  const features = options.features ?? defaultFeatureSpecs(d);
  return new LinearModel('regression', w, intercept, features, { alpha, l1Ratio });
}

/** Options for {@link trainLogisticRegression}. */
export interface LogisticRegressionOptions {
  /** Inverse L2 strength, as scikit-learn's `C`. */
  c?: number;
  /** Per-class weights, or `balanced` for n / (2 · count(class)). */
  classWeight?: 'balanced' | { 0: number; 1: number };
  maxIter?: number;
  tol?: number;
  features?: readonly FeatureSpec[];
}

/**
 * L2 logistic regression by Newton's method, minimising
 * `C·Σ cᵢ·logloss(yᵢ, σ(xᵢw + b)) + ½‖w‖²` (intercept unpenalised) — scikit-learn's
 * objective. Features are few after preprocessing, so the d×d Newton system is cheap and
 * converges in a handful of steps.
 */
export function trainLogisticRegression(
  x: DenseMatrix,
  y: ArrayLike<number>,
  options: LogisticRegressionOptions = {},
): LinearModel {
  checkInput(x, y);
  const c = options.c ?? 1;
  if (!(c > 0)) throw new InvalidArgumentError('c must be > 0', { c });
  const { numRows: n, numCols: d, values } = x;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new InvalidArgumentError('logistic labels must be 0 or 1');
    pos += y[i];
  }
  const cw = options.classWeight;
  const weightOf =
    cw === 'balanced'
      ? [n / (2 * Math.max(1, n - pos)), n / (2 * Math.max(1, pos))]
      : cw
        ? [cw[0], cw[1]]
        : [1, 1];
  const m = d + 1; // last coefficient is the intercept
  const beta = new Float64Array(m);
  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-10;
  for (let iter = 0; iter < maxIter; iter++) {
    grad.fill(0);
    hess.fill(0);
    for (let j = 0; j < d; j++) {
      grad[j] = beta[j];
      hess[j * m + j] = 1;
    }
    for (let i = 0; i < n; i++) {
      const off = i * d;
      let z = beta[d];
      for (let j = 0; j < d; j++) z += beta[j] * values[off + j];
      const p = 1 / (1 + Math.exp(-z));
      const wi = c * weightOf[y[i]];
      const g = wi * (p - y[i]);
      const h = wi * Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a < m; a++) {
        const xa = a < d ? values[off + a] : 1;
        grad[a] += g * xa;
        for (let b = 0; b <= a; b++) hess[a * m + b] += h * xa * (b < d ? values[off + b] : 1);
      }
    }
    const step = solveCholesky(hess, grad, m);
    let maxStep = 0;
    for (let j = 0; j < m; j++) {
      beta[j] -= step[j];
      maxStep = Math.max(maxStep, Math.abs(step[j]));
    }
    if (maxStep < tol) break;
  }
  const features = options.features ?? defaultFeatureSpecs(d);
  return new LinearModel('logistic', beta.slice(0, d), beta[d], features, {
    c,
    classWeight: cw ?? null,
  });
}

/** Solves A·x = b for symmetric positive-definite A (lower triangle filled). */
function solveCholesky(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j];
      for (let k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
      l[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * m + j];
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * m + k] * z[k];
    z[i] = s / l[i * m + i];
  }
  const out = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < m; k++) s -= l[k * m + i] * out[k];
    out[i] = s / l[i * m + i];
  }
  return out;
}
