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
 * An objective's starting margin and output transform; its gradients are computed by the
 * row-range kernels in gradients.ts, which every training thread runs.
 */
export interface Objective {
  readonly numOutputs: number;
  readonly transform: OutputTransform;
  /** A constant starting margin per output (mean, median, log-odds, log-priors). */
  initMargin(y: ArrayLike<number>, w: ArrayLike<number> | null): number[];
  /** Absolute error refits leaves to the median residual; others keep Newton weights. */
  readonly refitLeavesToMedian: boolean;
}

function weightedMean(y: ArrayLike<number>, w: ArrayLike<number> | null): number {
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
    init: (y: ArrayLike<number>, w: ArrayLike<number> | null) => number,
    refit = false,
  ): Objective => ({
    numOutputs: 1,
    transform: 'identity',
    refitLeavesToMedian: refit,
    initMargin: (yy, w) => [init(yy, w)],
  });
  switch (name) {
    case 'squared_error':
      return pointwise(weightedMean);
    case 'absolute_error':
      return pointwise((yy) => median(Float64Array.from(yy)), true);
    case 'huber':
      return pointwise((yy) => median(Float64Array.from(yy)));
    case 'binary_logloss':
      return {
        numOutputs: 1,
        transform: 'sigmoid',
        refitLeavesToMedian: false,
        initMargin(yy, w) {
          const p = Math.min(Math.max(weightedMean(yy, w), 1e-6), 1 - 1e-6);
          return [Math.log(p / (1 - p))];
        },
      };
    case 'multiclass_softmax':
      return softmaxObjective(numClass);
  }
}

function softmaxObjective(k: number): Objective {
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
  };
}
