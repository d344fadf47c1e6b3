import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';

/** What a linear model predicts: a value, or a class-1 probability through the sigmoid. */
export type LinearKind = 'regression' | 'logistic';

/**
 * A fitted linear model: `intercept + Σ weight_j x_j`, passed through the sigmoid for
 * logistic regression. Missing inputs give NaN: impute them in the preprocessing pipeline.
 */
export class LinearModel {
  constructor(
    readonly kind: LinearKind,
    readonly weights: Float64Array,
    readonly intercept: number,
    readonly features: readonly FeatureSpec[],
    readonly params: Record<string, unknown> = {},
  ) {
    if (weights.length !== features.length) {
      throw new InvalidArgumentError(`${weights.length} weights for ${features.length} features`);
    }
  }

  get numOutputs(): number {
    return 1;
  }

  private link(z: number): number {
    return this.kind === 'logistic' ? 1 / (1 + Math.exp(-z)) : z;
  }

  /** Predictions for every row (values or probabilities). */
  predict(x: DenseMatrix): Float64Array {
    const d = this.weights.length;
    if (x.numCols !== d) {
      throw new InvalidArgumentError(`input has ${x.numCols} features, the model expects ${d}`);
    }
    const out = new Float64Array(x.numRows);
    for (let r = 0; r < x.numRows; r++) {
      let z = this.intercept;
      for (let j = 0; j < d; j++) z += this.weights[j] * x.values[r * d + j];
      out[r] = this.link(z);
    }
    return out;
  }

  /** Allocation-free single-row prediction into `out[0]`. */
  predictRowInto(row: ArrayLike<number>, out: Float64Array, rowOffset = 0): void {
    let z = this.intercept;
    for (let j = 0; j < this.weights.length; j++) z += this.weights[j] * row[rowOffset + j];
    out[0] = this.link(z);
  }
}
