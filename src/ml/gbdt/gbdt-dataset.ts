import { InvalidArgumentError } from '../../core/index.js';
import type { FeatureSpec } from '../feature-spec.js';
import type { BinnedDataset } from './binned-dataset.js';
import { allocateBinnedDataset, binColumnsInto } from './binned-dataset.js';
import type { GbdtModel } from './gbdt-model.js';
import type { GbdtParams } from './gbdt-params.js';
import { resolveGbdtParams } from './gbdt-params.js';
import { resolveThreadCount } from './parallel/open-task-runner.js';
import type { BinMapper } from './quantile-binner.js';
import { fitBinMapper } from './quantile-binner.js';
import { trainBinnedGbdt } from './train-binned.js';

/** A slice of rows as one typed array per column: no JS object per row. */
export interface ColumnChunk {
  /** One array per feature, in feature order; NaN is missing, categories are integer codes. */
  columns: readonly ArrayLike<number>[];
  labels: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

/** Options for {@link GbdtDatasetBuilder}. */
export interface GbdtDatasetOptions {
  features: readonly FeatureSpec[];
  /** Rows the dataset will hold (an upper bound; `finish` keeps the rows appended). */
  numRows: number;
  /**
   * A sample of each feature's values to learn bin cuts from (e.g. 200,000 rows drawn with
   * DuckDB's `USING SAMPLE`); ignored when `binsFrom` is given. Categorical features use
   * their `categories` length when listed.
   */
  sample?: readonly ArrayLike<number>[];
  /** Bin with another dataset's cuts: validation data for a training set. */
  binsFrom?: GbdtDataset;
  maxBins?: number;
  /** Float32 labels halve their memory; exact for class labels and integer counts. */
  labelType?: 'float32' | 'float64';
  weighted?: boolean;
  /** Threads the dataset's feature blocks are laid out for (0 = every core). */
  numThreads?: number;
}

/** Binned rows plus labels in shared memory, ready for {@link trainGbdtDataset}. */
export interface GbdtDataset {
  readonly data: BinnedDataset;
  readonly labels: Float64Array | Float32Array;
  readonly weights: Float64Array | null;
  readonly features: readonly FeatureSpec[];
  /** True for data binned with another dataset's cuts (unseen categories kept apart). */
  readonly isValidation: boolean;
}

/**
 * Builds a training (or validation) dataset chunk by chunk, binning each chunk as it
 * arrives, so memory holds one byte per value plus the labels — never the raw values of the
 * whole dataset, nor an object per row. Cuts come from a sample given up front.
 */
export class GbdtDatasetBuilder {
  private readonly data: BinnedDataset;
  private readonly labels: Float64Array | Float32Array;
  private readonly weights: Float64Array | null;
  private rowsAppended = 0;

  constructor(private readonly options: GbdtDatasetOptions) {
    const { features, numRows } = options;
    const maxBins = options.maxBins ?? 256;
    let mapper: BinMapper;
    if (options.binsFrom) {
      mapper = options.binsFrom.data.mapper;
    } else {
      if (!options.sample || options.sample.length !== features.length) {
        throw new InvalidArgumentError('a sample column per feature is needed to learn bin cuts');
      }
      mapper = fitBinMapper(
        {
          columns: options.sample,
          categorical: features.map((f) => f.type === 'categorical'),
          numCategories: features.map((f) => f.categories?.length),
        },
        maxBins,
      );
    }
    if (mapper.numBins.length !== features.length) {
      throw new InvalidArgumentError(
        `${features.length} features, bins for ${mapper.numBins.length}`,
      );
    }
    const threads = resolveThreadCount(options.numThreads ?? 0, numRows, features.length);
    this.data = allocateBinnedDataset(mapper, numRows, threads);
    const labelBytes = options.labelType === 'float32' ? 4 : 8;
    const labelBuffer = new SharedArrayBuffer(Math.max(8, numRows * labelBytes));
    this.labels =
      labelBytes === 4
        ? new Float32Array(labelBuffer, 0, numRows)
        : new Float64Array(labelBuffer, 0, numRows);
    this.weights = options.weighted
      ? new Float64Array(new SharedArrayBuffer(Math.max(8, numRows * 8)), 0, numRows)
      : null;
  }

  /** Bins and stores one chunk of rows. */
  append(chunk: ColumnChunk): void {
    const { features, numRows } = this.options;
    const m = chunk.labels.length;
    if (chunk.columns.length !== features.length) {
      throw new InvalidArgumentError(
        `chunk has ${chunk.columns.length} columns, expected ${features.length}`,
      );
    }
    for (const [i, c] of chunk.columns.entries()) {
      if (c.length !== m)
        throw new InvalidArgumentError(`chunk column ${i} has ${c.length} rows, labels ${m}`);
    }
    if (this.rowsAppended + m > numRows) {
      throw new InvalidArgumentError(`more than the ${numRows} rows the dataset was sized for`);
    }
    if (this.weights && chunk.weights?.length !== m) {
      throw new InvalidArgumentError('a weighted dataset needs weights for every chunk');
    }
    const at = this.rowsAppended;
    binColumnsInto(this.data, at, m, (f) => chunk.columns[f], this.options.binsFrom !== undefined);
    for (let i = 0; i < m; i++) this.labels[at + i] = chunk.labels[i];
    if (this.weights && chunk.weights) {
      for (let i = 0; i < m; i++) this.weights[at + i] = chunk.weights[i];
    }
    this.rowsAppended += m;
  }

  get numRowsAppended(): number {
    return this.rowsAppended;
  }

  /** The dataset of the rows appended so far. */
  finish(): GbdtDataset {
    const n = this.rowsAppended;
    const data: BinnedDataset = n === this.data.numRows ? this.data : { ...this.data, numRows: n };
    return {
      data,
      labels: this.labels.subarray(0, n),
      weights: this.weights ? this.weights.subarray(0, n) : null,
      features: this.options.features,
      isValidation: this.options.binsFrom !== undefined,
    };
  }
}

/** Trains on a {@link GbdtDataset}, optionally with a validation dataset binned from it. */
export function trainGbdtDataset(
  train: GbdtDataset,
  options: {
    params?: Partial<GbdtParams>;
    validation?: GbdtDataset;
    onRound?: (round: number, train: number, validation: number | null) => void;
  } = {},
): GbdtModel {
  const p = resolveGbdtParams(options.params);
  if (options.validation && !options.validation.isValidation) {
    throw new InvalidArgumentError(
      'bin the validation dataset with binsFrom: the training dataset',
    );
  }
  if (options.validation && options.validation.data.mapper !== train.data.mapper) {
    throw new InvalidArgumentError('the validation dataset was binned with other cuts');
  }
  const threads = resolveThreadCount(p.numThreads, train.data.numRows, train.data.numFeatures);
  return trainBinnedGbdt({
    data: train.data,
    labels: train.labels,
    weights: train.weights,
    features: train.features,
    validation: options.validation
      ? { data: options.validation.data, y: options.validation.labels }
      : null,
    params: p,
    numThreads: threads,
    onRound: options.onRound,
  });
}
