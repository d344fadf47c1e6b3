import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { BinMapper } from './quantile-binner.js';
import { valueBin } from './quantile-binner.js';

/**
 * A block of adjacent features stored row-major: row r's bins for features
 * `[first, first + width)` are the bytes `[r * width, (r + 1) * width)` of `bins`. Building
 * a histogram walks a node's rows once per block and finds each row's bins in one cache
 * line; worker threads take blocks, so each feature's histogram is summed by one thread in
 * row order and results do not depend on the thread count.
 */
export interface FeatureBlock {
  readonly first: number;
  readonly width: number;
  readonly bins: Uint8Array;
}

/**
 * The training matrix as one byte per value, in feature blocks laid out one after another
 * (column-major by block) in a single SharedArrayBuffer that worker threads read without a
 * copy.
 */
export interface BinnedDataset {
  readonly numRows: number;
  /** Rows the buffer was laid out for (block b starts at byte `first * capacity`). */
  readonly capacity: number;
  readonly numFeatures: number;
  readonly mapper: BinMapper;
  readonly blocks: readonly FeatureBlock[];
  /** The buffer all blocks view, for handing to workers. */
  readonly buffer: SharedArrayBuffer;
  /** Block index and position inside it, per feature. */
  readonly blockOf: Int32Array;
  readonly indexInBlock: Int32Array;
}

/**
 * Block widths for a thread count: one block per thread so every thread has a share of each
 * histogram, but at most 32 features per block so a block's histogram stays cache-sized.
 */
export function blockWidths(numFeatures: number, numThreads: number): number[] {
  const blocks = Math.max(Math.min(numThreads, numFeatures), Math.ceil(numFeatures / 32));
  const widths: number[] = [];
  let left = numFeatures;
  for (let b = blocks; b > 0; b--) {
    const w = Math.ceil(left / b);
    widths.push(w);
    left -= w;
  }
  return widths;
}

/** Allocates an empty (all zero) binned dataset for `numRows` rows. */
export function allocateBinnedDataset(
  mapper: BinMapper,
  numRows: number,
  numThreads: number,
): BinnedDataset {
  const numFeatures = mapper.numBins.length;
  if (!Number.isInteger(numRows) || numRows < 0) {
    throw new InvalidArgumentError('numRows must be a non-negative integer', { numRows });
  }
  const buffer = new SharedArrayBuffer(Math.max(1, numRows * numFeatures));
  return viewBinnedDataset(buffer, mapper, numRows, blockWidths(numFeatures, numThreads), numRows);
}

/** Views an existing buffer (in a worker, or after allocation) as a binned dataset. */
export function viewBinnedDataset(
  buffer: SharedArrayBuffer,
  mapper: BinMapper,
  numRows: number,
  widths: readonly number[],
  capacity: number,
): BinnedDataset {
  const numFeatures = mapper.numBins.length;
  const blocks: FeatureBlock[] = [];
  const blockOf = new Int32Array(numFeatures);
  const indexInBlock = new Int32Array(numFeatures);
  let first = 0;
  for (const width of widths) {
    blocks.push({ first, width, bins: new Uint8Array(buffer, first * capacity, width * capacity) });
    for (let k = 0; k < width; k++) {
      blockOf[first + k] = blocks.length - 1;
      indexInBlock[first + k] = k;
    }
    first += width;
  }
  return { numRows, capacity, numFeatures, mapper, blocks, buffer, blockOf, indexInBlock };
}

/**
 * Bins rows `[0, numRows)` of column-major chunk data into rows `[rowStart, …)` of the
 * dataset. `column(f)` gives feature f's values for the chunk.
 */
export function binColumnsInto(
  data: BinnedDataset,
  rowStart: number,
  numRows: number,
  column: (f: number) => ArrayLike<number>,
  unseenBin: boolean,
): void {
  const { mapper } = data;
  for (const block of data.blocks) {
    const { first, width, bins } = block;
    for (let k = 0; k < width; k++) {
      const f = first + k;
      const values = column(f);
      for (let r = 0; r < numRows; r++) {
        bins[(rowStart + r) * width + k] = valueBin(mapper, f, values[r], unseenBin);
      }
    }
  }
}

/** Bins a row-major matrix with a fitted mapper. */
export function binDenseMatrix(
  x: DenseMatrix,
  mapper: BinMapper,
  numThreads: number,
  unseenBin = false,
): BinnedDataset {
  if (x.numCols !== mapper.numBins.length) {
    throw new InvalidArgumentError(
      `matrix has ${x.numCols} columns, the bins were fitted on ${mapper.numBins.length}`,
    );
  }
  const data = allocateBinnedDataset(mapper, x.numRows, numThreads);
  const { values, numCols, numRows } = x;
  for (const { first, width, bins } of data.blocks) {
    for (let r = 0; r < numRows; r++) {
      const src = r * numCols + first;
      const dst = r * width;
      for (let k = 0; k < width; k++) {
        bins[dst + k] = valueBin(mapper, first + k, values[src + k], unseenBin);
      }
    }
  }
  return data;
}
