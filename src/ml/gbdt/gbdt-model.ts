import type { DenseMatrix } from '../dense-matrix.js';
import type { TreeEnsemble } from '../trees/tree-ensemble.js';
import { predictBatch, predictRowInto } from '../trees/tree-evaluator.js';
import { shapRowInto, shapValues } from '../trees/tree-shap.js';
import type { FeatureSpec } from '../feature-spec.js';
import type { GbdtParams } from './gbdt-params.js';

/**
 * Importance per feature, summed over every split on it (XGBoost's `total_gain`,
 * `total_cover` and `weight`; divide gain or cover by split for its `gain` / `cover`).
 */
export interface FeatureImportance {
  /** Total loss reduction of the feature's splits. */
  gain: number[];
  /** Total cover (hessian sum) of the rows reaching the feature's splits. */
  cover: number[];
  /** Number of splits on the feature. */
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

  /**
   * SHAP values (TreeSHAP, as XGBoost's `pred_contribs`): per row and output,
   * `numFeatures + 1` values — one per feature, then the bias — that sum to the margin.
   */
  shapValues(x: DenseMatrix): Float64Array {
    return shapValues(this.ensemble, x);
  }

  /** One row's SHAP values into `out` (`numOutputs * (numFeatures + 1)` values). */
  shapRowInto(row: ArrayLike<number>, out: Float64Array, rowOffset = 0): void {
    shapRowInto(this.ensemble, row, rowOffset, out, 0);
  }

  /** Total gain, total cover and number of splits per feature, over all trees. */
  featureImportance(): FeatureImportance {
    const e = this.ensemble;
    const gain = new Array<number>(e.numFeatures).fill(0);
    const cover = new Array<number>(e.numFeatures).fill(0);
    const split = new Array<number>(e.numFeatures).fill(0);
    for (let i = 0; i < e.feature.length; i++) {
      const f = e.feature[i];
      if (f < 0) continue;
      gain[f] += e.gain[i];
      cover[f] += e.cover[i];
      split[f] += 1;
    }
    return { gain, cover, split };
  }
}
