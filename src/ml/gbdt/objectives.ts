import { InvalidArgumentError } from '../../core/index.js';
import type { OutputTransform } from '../trees/tree-ensemble.js';

/** Loss functions the booster can minimise. */
export type GbdtObjective =
  'squared_error' | 'absolute_error' | 'huber' | 'binary_logloss' | 'multiclass_softmax';

export const GBDT_OBJECTIVES: readonly GbdtObjective[] = [
  'squared_error',
  'absolute_error',
  'huber',
  'binary_logloss',
  'multiclass_softmax',
];

/**
 * An objective supplies first and second derivatives of the loss with respect to the
 * margin. Margins are row-major (`numOutputs` per row); gradients are output-major so each
 * output's trees read one contiguous slice.
 */
export interface Objective {
  readonly numOutputs: number;
  readonly transform: OutputTransform;
  /** A constant starting margin per output (mean, median, log-odds, log-priors). */
  initMargin(y: ArrayLike<number>, w: Float64Array | null): number[];
  gradients(
    y: ArrayLike<number>,
    w: Float64Array | null,
    margin: Float64Array,
    grad: Float64Array,
    hess: Float64Array,
  ): void;
  /** Absolute error refits leaves to the median residual; others keep Newton weights. */
  readonly refitLeavesToMedian: boolean;
}

const MIN_HESS = 1e-16;

function weightedMean(y: ArrayLike<number>, w: Float64Array | null): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    s += wi * y[i];
    sw += wi;
  }
  return sw > 0 ? s / sw : 0;
}

export function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Builds the objective, checking labels fit it. */
export function makeObjective(
  name: GbdtObjective,
  numClass: number,
  huberDelta: number,
  y: ArrayLike<number>,
): Objective {
  const n = y.length;
  if (name === 'binary_logloss') {
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0 && y[i] !== 1) throw new InvalidArgumentError('binary labels must be 0 or 1');
    }
  }
  if (name === 'multiclass_softmax') {
    if (!Number.isInteger(numClass) || numClass < 2) {
      throw new InvalidArgumentError('multiclass_softmax needs numClass >= 2', { numClass });
    }
    for (let i = 0; i < n; i++) {
      const c = y[i];
      if (!Number.isInteger(c) || c < 0 || c >= numClass) {
        throw new InvalidArgumentError(`class label ${c} outside [0, ${numClass})`);
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) throw new InvalidArgumentError(`label ${i} is not finite`);
    }
  }
  const pointwise = (
    init: (y: ArrayLike<number>, w: Float64Array | null) => number,
    gh: (residual: number) => number,
    transform: OutputTransform = 'identity',
    refit = false,
  ): Objective => ({
    numOutputs: 1,
    transform,
    refitLeavesToMedian: refit,
    initMargin: (yy, w) => [init(yy, w)],
    gradients(yy, w, margin, grad, hess) {
      for (let i = 0; i < yy.length; i++) {
        const wi = w ? w[i] : 1;
        grad[i] = wi * gh(margin[i] - yy[i]);
        hess[i] = wi;
      }
    },
  });
  switch (name) {
    case 'squared_error':
      return pointwise(weightedMean, (r) => r);
    case 'absolute_error':
      return pointwise(
        (yy) => median(Float64Array.from(yy)),
        (r) => (r > 0 ? 1 : r < 0 ? -1 : 0),
        'identity',
        true,
      );
    case 'huber':
      return pointwise(
        (yy) => median(Float64Array.from(yy)),
        (r) => (Math.abs(r) <= huberDelta ? r : r > 0 ? huberDelta : -huberDelta),
      );
    case 'binary_logloss':
      return {
        numOutputs: 1,
        transform: 'sigmoid',
        refitLeavesToMedian: false,
        initMargin(yy, w) {
          const p = Math.min(Math.max(weightedMean(yy, w), 1e-6), 1 - 1e-6);
          return [Math.log(p / (1 - p))];
        },
        gradients(yy, w, margin, grad, hess) {
          for (let i = 0; i < yy.length; i++) {
            const wi = w ? w[i] : 1;
            const p = 1 / (1 + Math.exp(-margin[i]));
            grad[i] = wi * (p - yy[i]);
            hess[i] = wi * Math.max(p * (1 - p), MIN_HESS);
          }
        },
      };
    case 'multiclass_softmax':
      return softmaxObjective(numClass);
  }
}

function softmaxObjective(k: number): Objective {
  const prob = new Float64Array(k);
  return {
    numOutputs: k,
    transform: 'softmax',
    refitLeavesToMedian: false,
    initMargin(y, w) {
      const counts = new Float64Array(k);
      let total = 0;
      for (let i = 0; i < y.length; i++) {
        const wi = w ? w[i] : 1;
        counts[y[i]] += wi;
        total += wi;
      }
      return Array.from(counts, (c) => Math.log(Math.max(c / total, 1e-6)));
    },
    gradients(y, w, margin, grad, hess) {
      const n = y.length;
      for (let i = 0; i < n; i++) {
        let max = -Infinity;
        for (let j = 0; j < k; j++) max = Math.max(max, margin[i * k + j]);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += prob[j] = Math.exp(margin[i * k + j] - max);
        const wi = w ? w[i] : 1;
        for (let j = 0; j < k; j++) {
          const p = prob[j] / sum;
          grad[j * n + i] = wi * (p - (y[i] === j ? 1 : 0));
          // XGBoost's 2p(1-p) hessian: a tighter bound that keeps steps from overshooting.
          hess[j * n + i] = wi * Math.max(2 * p * (1 - p), MIN_HESS);
        }
      }
    },
  };
}
