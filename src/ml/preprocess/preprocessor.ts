import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';

/** A raw input cell: a number, a category string, or missing. */
export type RawValue = number | string | null | undefined;

/** How one raw input column becomes model features; plain data, saved inside the model. */
export type ColumnTransform =
  | {
      kind: 'numeric';
      name: string;
      /** Replacement for missing values; null keeps NaN (trees route it natively). */
      impute: number | null;
      /** Standardisation (x - mean) / scale; null leaves values as they are. */
      standardize: { mean: number; scale: number } | null;
    }
  | {
      kind: 'onehot';
      name: string;
      /** One output feature per category, in this order; unknown and missing give all zeros. */
      categories: string[];
    }
  | {
      kind: 'ordinal';
      name: string;
      /** Category i becomes code i (a native categorical feature); unknown becomes NaN. */
      categories: string[];
    };

/** The whole preprocessing pipeline: the raw columns in order, each with its transform. */
export interface PreprocessorSpec {
  columns: ColumnTransform[];
}

/**
 * Applies a fitted {@link PreprocessorSpec}. The same object runs at training and serving,
 * so serving applies exactly the training transform.
 */
export class Preprocessor {
  readonly outputFeatures: FeatureSpec[];
  private readonly lookup: Map<string, number>[];
  /** Float32 fill values, means and inverse scales per column (NaN / 0 / 1 when unused). */
  private readonly fill: Float32Array;
  private readonly mean: Float32Array;
  private readonly inverseScale: Float32Array;

  constructor(readonly spec: PreprocessorSpec) {
    this.outputFeatures = [];
    this.lookup = [];
    const n = spec.columns.length;
    this.fill = new Float32Array(n).fill(NaN);
    this.mean = new Float32Array(n);
    this.inverseScale = new Float32Array(n).fill(1);
    spec.columns.forEach((c, i) => {
      if (c.kind !== 'numeric') return;
      if (c.impute !== null) this.fill[i] = c.impute;
      if (c.standardize) {
        this.mean[i] = c.standardize.mean;
        this.inverseScale[i] = 1 / c.standardize.scale;
      }
    });
    for (const c of spec.columns) {
      this.lookup.push(
        new Map(c.kind === 'numeric' ? [] : c.categories.map((name, i) => [name, i])),
      );
      if (c.kind === 'numeric') this.outputFeatures.push({ name: c.name, type: 'numeric' });
      else if (c.kind === 'ordinal') {
        this.outputFeatures.push({ name: c.name, type: 'categorical', categories: c.categories });
      } else {
        for (const cat of c.categories) {
          this.outputFeatures.push({ name: `${c.name}=${cat}`, type: 'numeric' });
        }
      }
    }
  }

  get inputNames(): string[] {
    return this.spec.columns.map((c) => c.name);
  }

  get numOutputs(): number {
    return this.outputFeatures.length;
  }

  /**
   * Transforms one raw row (inputs in spec order) into `out`, allocation-free. Numbers are
   * computed in float32 exactly as ONNX's Imputer and Scaler compute them
   * (`(x − mean) × (1 / sd)`), so an exported model sees the very same features: a value
   * that lands on a tree threshold must land on it in both.
   */
  transformRowInto(row: ArrayLike<RawValue>, out: Float32Array, outOffset = 0): void {
    let o = outOffset;
    const cols = this.spec.columns;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const v = row[i];
      if (c.kind === 'numeric') {
        let x = Math.fround(
          typeof v === 'number' ? v : v === null || v === undefined || v === '' ? NaN : Number(v),
        );
        if (x !== x) x = this.fill[i];
        if (c.standardize) x = Math.fround(Math.fround(x - this.mean[i]) * this.inverseScale[i]);
        out[o++] = x;
      } else {
        const code = v === null || v === undefined ? undefined : this.lookup[i].get(String(v));
        if (c.kind === 'ordinal') {
          out[o++] = code === undefined ? NaN : code;
        } else {
          for (let k = 0; k < c.categories.length; k++) out[o + k] = 0;
          if (code !== undefined) out[o + code] = 1;
          o += c.categories.length;
        }
      }
    }
  }

  /** Transforms columns (one array per input, in spec order) into a model matrix. */
  transformColumns(columns: ReadonlyArray<ArrayLike<RawValue>>): DenseMatrix {
    if (columns.length !== this.spec.columns.length) {
      throw new InvalidArgumentError(
        `expected ${this.spec.columns.length} input columns (${this.inputNames.join(', ')}), got ${columns.length}`,
      );
    }
    const numRows = columns[0]?.length ?? 0;
    const width = this.numOutputs;
    const values = new Float32Array(numRows * width);
    const row = new Array<RawValue>(columns.length);
    for (let r = 0; r < numRows; r++) {
      for (let c = 0; c < columns.length; c++) row[c] = columns[c][r];
      this.transformRowInto(row, values, r * width);
    }
    return { values, numRows, numCols: width };
  }
}
