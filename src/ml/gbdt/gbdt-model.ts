import type { DenseMatrix } from '../dense-matrix.js';
import type { TreeEnsemble } from '../trees/tree-ensemble.js';
import { predictBatch, predictRowInto } from '../trees/tree-evaluator.js';
import type { FeatureSpec } from '../feature-spec.js';
import type { GbdtParams } from './gbdt-params.js';

/** Gain and split-count importance, one entry per feature. */
export interface FeatureImportance {
  gain: number[];
  split: number[];
}

/** Per-round metric values recorded during training. */
export interface EvalHistory {
  metric: string;
  train: number[];
  validation: number[];
}

/**
 * A trained (or imported) tree model: the flattened ensemble plus what it was trained on.
 * Prediction goes through the shared evaluator, so Gyre, XGBoost and LightGBM models all
 * serve from the same code.
 */
export class GbdtModel {
  constructor(
    readonly ensemble: TreeEnsemble,
    readonly features: readonly FeatureSpec[],
    readonly params: Partial<GbdtParams> & Record<string, unknown>,
    readonly bestIteration: number | null = null,
    readonly history: EvalHistory | null = null,
  ) {}

  get numOutputs(): number {
    return this.ensemble.numOutputs;
  }

  /** Predictions (probabilities for classifiers), `numRows * numOutputs`, row-major. */
  predict(x: DenseMatrix): Float64Array {
    return predictBatch(this.ensemble, x);
  }

  /** Raw margins before the sigmoid/softmax. */
  predictMargin(x: DenseMatrix): Float64Array {
    return predictBatch(this.ensemble, x, true);
  }

  /** Allocation-free single-row prediction into `out` (length >= numOutputs). */
  predictRowInto(row: ArrayLike<number>, out: Float64Array, rowOffset = 0): void {
    predictRowInto(this.ensemble, row, rowOffset, out, 0);
  }

  /** Total split gain and number of splits per feature, summed over all trees. */
  featureImportance(): FeatureImportance {
    const e = this.ensemble;
    const gain = new Array<number>(e.numFeatures).fill(0);
    const split = new Array<number>(e.numFeatures).fill(0);
    for (let i = 0; i < e.feature.length; i++) {
      const f = e.feature[i];
      if (f < 0) continue;
      gain[f] += e.gain[i];
      split[f] += 1;
    }
    return { gain, split };
  }
}
