import { InvalidArgumentError } from '../core/index.js';
import type { DenseMatrix } from './dense-matrix.js';
import type { FeatureSpec } from './feature-spec.js';
import type { GbdtModel } from './gbdt/gbdt-model.js';
import type { LinearModel } from './linear/linear-model.js';
import type { Preprocessor, RawValue } from './preprocess/preprocessor.js';

/** Any Gyre predictor: trees (trained or imported) or a linear model. */
export type Predictor = GbdtModel | LinearModel;

/** One input of the model signature: a raw column as callers send it. */
export interface SignatureInput {
  name: string;
  type: 'double' | 'string';
}

/**
 * A predictor together with the preprocessing it was trained behind — the unit that is
 * saved, registered and served. Serving sends raw rows; the saved pipeline turns them into
 * exactly the features the model was trained on.
 */
export class ServableModel {
  private readonly scratch: Float32Array;

  constructor(
    readonly predictor: Predictor,
    readonly preprocessor: Preprocessor | null = null,
  ) {
    const width = predictor.features.length;
    if (preprocessor && preprocessor.numOutputs !== width) {
      throw new InvalidArgumentError(
        `preprocessing yields ${preprocessor.numOutputs} features, the model expects ${width}`,
      );
    }
    this.scratch = new Float32Array(width);
  }

  get numOutputs(): number {
    return this.predictor.numOutputs;
  }

  /** The raw inputs callers send, in order. */
  get inputs(): SignatureInput[] {
    if (this.preprocessor) {
      return this.preprocessor.spec.columns.map((c) => ({
        name: c.name,
        type: c.kind === 'numeric' ? 'double' : 'string',
      }));
    }
    return this.predictor.features.map((f: FeatureSpec) => ({ name: f.name, type: 'double' }));
  }

  /** Predicts raw columns (one array per input, in signature order). */
  predictColumns(columns: ReadonlyArray<ArrayLike<RawValue>>): Float64Array {
    if (this.preprocessor)
      return this.predictor.predict(this.preprocessor.transformColumns(columns));
    if (columns.length !== this.predictor.features.length) {
      throw new InvalidArgumentError(`expected ${this.predictor.features.length} input columns`);
    }
    const n = columns[0]?.length ?? 0;
    const d = columns.length;
    const values = new Float32Array(n * d);
    for (let c = 0; c < d; c++) {
      for (let r = 0; r < n; r++) {
        const v = columns[c][r];
        values[r * d + c] =
          typeof v === 'number' ? v : v === null || v === undefined ? NaN : Number(v);
      }
    }
    return this.predictor.predict({ values, numRows: n, numCols: d });
  }

  /** Predicts an already-transformed feature matrix. */
  predictMatrix(x: DenseMatrix): Float64Array {
    return this.predictor.predict(x);
  }

  /**
   * The serving hot path: one raw row in signature order, predictions written to `out`.
   * Reuses an internal buffer, so it allocates nothing (and is not re-entrant).
   */
  predictRowInto(row: ArrayLike<RawValue>, out: Float64Array): void {
    if (this.preprocessor) {
      this.preprocessor.transformRowInto(row, this.scratch);
      this.predictor.predictRowInto(this.scratch, out);
      return;
    }
    const s = this.scratch;
    for (let i = 0; i < s.length; i++) {
      const v = row[i];
      s[i] = typeof v === 'number' ? v : v === null || v === undefined ? NaN : Number(v);
    }
    this.predictor.predictRowInto(s, out);
  }
}
