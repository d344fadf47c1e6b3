import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { defaultFeatureSpecs } from '../feature-spec.js';
import { sampleMatrixForBins } from './bin-sample.js';
import { binDenseMatrix } from './binned-dataset.js';
import type { GbdtModel } from './gbdt-model.js';
import type { GbdtParams } from './gbdt-params.js';
import { resolveGbdtParams } from './gbdt-params.js';
import { resolveThreadCount } from './parallel/open-task-runner.js';
import { fitBinMapper } from './quantile-binner.js';
import { trainBinnedGbdt } from './train-binned.js';

/** Inputs to {@link trainGbdt}. */
export interface GbdtTrainInput {
  x: DenseMatrix;
  y: ArrayLike<number>;
  /** Optional per-row weights. */
  weights?: ArrayLike<number>;
  /** Names and types of the columns of `x`; defaults to numeric `f0..fN`. */
  features?: readonly FeatureSpec[];
  /** Held-out data for the eval history and early stopping (binned once, with the training cuts). */
  validation?: { x: DenseMatrix; y: ArrayLike<number> };
  params?: Partial<GbdtParams>;
  /** Called after every round with the metric values, e.g. to log them to tracking. */
  onRound?: (round: number, train: number, validation: number | null) => void;
}

/** A copy of `values` in shared memory, which training threads read without copies. */
export function sharedFloat64(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(
    new SharedArrayBuffer(Math.max(8, values.length * 8)),
    0,
    values.length,
  );
  out.set(values);
  return out;
}

/**
 * Trains a histogram gradient-boosted tree ensemble on a row-major matrix. Deterministic
 * for a given seed, and the same for every `numThreads`.
 */
export function trainGbdt(input: GbdtTrainInput): GbdtModel {
  const p = resolveGbdtParams(input.params);
  const { x, y } = input;
  const n = x.numRows;
  if (y.length !== n) throw new InvalidArgumentError(`y has ${y.length} rows, x has ${n}`);
  if (n === 0) throw new InvalidArgumentError('training needs at least one row');
  const features = input.features ?? defaultFeatureSpecs(x.numCols);
  if (features.length !== x.numCols) {
    throw new InvalidArgumentError(`${features.length} feature specs for ${x.numCols} columns`);
  }
  if (input.weights && input.weights.length !== n) {
    throw new InvalidArgumentError(`weights has ${input.weights.length} rows, x has ${n}`);
  }
  const threads = resolveThreadCount(p.numThreads, n, x.numCols);
  const mapper = fitBinMapper(sampleMatrixForBins(x, features, p.maxBins, p.seed), p.maxBins);
  const valid = input.validation;
  if (valid && valid.x.numCols !== x.numCols) {
    throw new InvalidArgumentError('validation x has a different width');
  }
  return trainBinnedGbdt({
    data: binDenseMatrix(x, mapper, threads),
    labels: sharedFloat64(y),
    weights: input.weights ? sharedFloat64(input.weights) : null,
    features,
    validation: valid ? { data: binDenseMatrix(valid.x, mapper, threads, true), y: valid.y } : null,
    params: p,
    numThreads: threads,
    onRound: input.onRound,
  });
}
