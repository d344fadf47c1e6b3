import type { GbdtObjective } from './objectives.js';

/** What the gradient kernels need to know about the objective and row sampling. */
export interface GradientSpec {
  objective: GbdtObjective;
  numClass: number;
  huberDelta: number;
  /** Fraction of rows each tree sees; the rest get zero gradients (as XGBoost does). */
  subsample: number;
  seed: number;
}

const MIN_HESS = 1e-16;

/**
 * Whether row `row` takes part in round `round`. A hash of (seed, round, row) instead of a
 * sequential generator, so any thread can decide any row and the sample does not depend on
 * how rows are split between threads.
 */
export function isSampled(seed: number, round: number, row: number, fraction: number): boolean {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(round + 1, 0xc2b2ae35) ^ row;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0 < fraction * 4294967296;
}

/**
 * Writes gradient/hessian pairs for rows `[begin, end)` into `gh` (float32 pairs, as
 * XGBoost keeps them): output j of row i at `2 * (j * n + i)`. Margins are row-major.
 * Each loop lives in its own function: V8 compiles a hot loop before the code after it
 * has run, and a function whose later code lacks type feedback deoptimizes on every call.
 */
export function computeGradients(
  spec: GradientSpec,
  round: number,
  y: Float64Array | Float32Array,
  w: Float64Array | null,
  margin: Float64Array,
  gh: Float32Array,
  n: number,
  begin: number,
  end: number,
): void {
  switch (spec.objective) {
    case 'squared_error':
      squaredError(y, w, margin, gh, begin, end);
      break;
    case 'absolute_error':
      absoluteError(y, w, margin, gh, begin, end);
      break;
    case 'huber':
      huber(spec.huberDelta, y, w, margin, gh, begin, end);
      break;
    case 'binary_logloss':
      logistic(y, w, margin, gh, begin, end);
      break;
    case 'multiclass_softmax':
      softmaxGradients(spec.numClass, y, w, margin, gh, n, begin, end);
      break;
  }
  if (spec.subsample < 1) {
    const k = spec.objective === 'multiclass_softmax' ? spec.numClass : 1;
    dropUnsampled(spec, round, k, gh, n, begin, end);
  }
}

function squaredError(
  y: Float64Array | Float32Array,
  w: Float64Array | null,
  margin: Float64Array,
  gh: Float32Array,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    const wi = w === null ? 1 : w[i];
    gh[2 * i] = wi * (margin[i] - y[i]);
    gh[2 * i + 1] = wi;
  }
}

function absoluteError(
  y: Float64Array | Float32Array,
  w: Float64Array | null,
  margin: Float64Array,
  gh: Float32Array,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    const wi = w === null ? 1 : w[i];
    const r = margin[i] - y[i];
    gh[2 * i] = wi * (r > 0 ? 1 : r < 0 ? -1 : 0);
    gh[2 * i + 1] = wi;
  }
}

function huber(
  delta: number,
  y: Float64Array | Float32Array,
  w: Float64Array | null,
  margin: Float64Array,
  gh: Float32Array,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    const wi = w === null ? 1 : w[i];
    const r = margin[i] - y[i];
    gh[2 * i] = wi * (r > delta ? delta : r < -delta ? -delta : r);
    gh[2 * i + 1] = wi;
  }
}

function logistic(
  y: Float64Array | Float32Array,
  w: Float64Array | null,
  margin: Float64Array,
  gh: Float32Array,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    const wi = w === null ? 1 : w[i];
    const p = 1 / (1 + Math.exp(-margin[i]));
    gh[2 * i] = wi * (p - y[i]);
    gh[2 * i + 1] = wi * Math.max(p * (1 - p), MIN_HESS);
  }
}

function dropUnsampled(
  spec: GradientSpec,
  round: number,
  k: number,
  gh: Float32Array,
  n: number,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    if (isSampled(spec.seed, round, i, spec.subsample)) continue;
    for (let j = 0; j < k; j++) {
      gh[2 * (j * n + i)] = 0;
      gh[2 * (j * n + i) + 1] = 0;
    }
  }
}

function softmaxGradients(
  k: number,
  y: Float64Array | Float32Array,
  w: Float64Array | null,
  margin: Float64Array,
  gh: Float32Array,
  n: number,
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, margin[i * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(margin[i * k + j] - max);
    const wi = w === null ? 1 : w[i];
    for (let j = 0; j < k; j++) {
      const p = Math.exp(margin[i * k + j] - max) / sum;
      gh[2 * (j * n + i)] = wi * (p - (y[i] === j ? 1 : 0));
      // XGBoost's 2p(1-p) hessian: a tighter bound that keeps steps from overshooting.
      gh[2 * (j * n + i) + 1] = wi * Math.max(2 * p * (1 - p), MIN_HESS);
    }
  }
}
