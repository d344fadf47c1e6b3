import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';

/**
 * Per-feature bin boundaries. A numeric value x falls in bin `count of cuts <= x`, so a split
 * "bins 0..t go left" is exactly `x < cuts[t]` on raw values — the threshold the trees store.
 * Categorical features use the category code as the bin. The bin after the last value bin
 * (`numBins[f]`) holds missing values, so missing values need no special case while
 * building histograms.
 */
export interface BinMapper {
  readonly cuts: readonly Float32Array[];
  /** Value bins per feature, not counting the missing bin. */
  readonly numBins: Int32Array;
  readonly categorical: readonly boolean[];
  /** Offset of each feature's first bin in a histogram; the last entry is the total. */
  readonly binOffset: Int32Array;
}

/**
 * The binned training matrix, one byte per value, kept in both layouts: column-major for
 * partitioning a node on one feature, row-major for building histograms, where one row's
 * bins share a cache line instead of costing one cache miss per feature.
 */
export interface BinnedMatrix {
  readonly bins: Uint8Array;
  readonly rowBins: Uint8Array;
  readonly numRows: number;
  readonly numCols: number;
  readonly mapper: BinMapper;
}

/** Largest bin count a feature may use, leaving one byte value for the missing bin. */
export const MAX_BINS = 256;

function numericCuts(sorted: Float32Array, maxValueBins: number): Float32Array {
  const n = sorted.length;
  if (n === 0) return new Float32Array(0);
  const distinct: number[] = [sorted[0]];
  for (let i = 1; i < n && distinct.length <= maxValueBins; i++) {
    if (sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  }
  if (distinct.length <= maxValueBins) return Float32Array.from(distinct.slice(1));
  // More distinct values than bins: cut at equal-count quantiles, each cut a real data value.
  const cuts: number[] = [];
  for (let k = 1; k < maxValueBins; k++) {
    const v = sorted[Math.floor((k * n) / maxValueBins)];
    if (v > sorted[0] && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
  }
  return Float32Array.from(cuts);
}

/** Learns bin boundaries from the training matrix. */
export function fitBinMapper(
  matrix: DenseMatrix,
  maxBins: number,
  categorical: readonly boolean[],
): BinMapper {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new InvalidArgumentError(`maxBins must be an integer in [2, ${MAX_BINS}]`, { maxBins });
  }
  const { numRows, numCols, values } = matrix;
  const cuts: Float32Array[] = [];
  const numBins = new Int32Array(numCols);
  const binOffset = new Int32Array(numCols + 1);
  const column = new Float32Array(numRows);
  for (let f = 0; f < numCols; f++) {
    if (categorical[f]) {
      let max = -1;
      for (let r = 0; r < numRows; r++) {
        const v = values[r * numCols + f];
        if (v !== v) continue;
        if (v < 0 || v !== Math.floor(v) || v >= maxBins - 1) {
          throw new InvalidArgumentError(
            `categorical feature ${f} must hold integer codes in [0, ${maxBins - 2}], found ${v}`,
          );
        }
        if (v > max) max = v;
      }
      cuts.push(new Float32Array(0));
      numBins[f] = max + 1;
    } else {
      let m = 0;
      for (let r = 0; r < numRows; r++) {
        const v = values[r * numCols + f];
        if (v === v) column[m++] = v;
      }
      const sorted = column.slice(0, m).sort();
      const c = numericCuts(sorted, maxBins - 1);
      cuts.push(c);
      numBins[f] = c.length + 1;
    }
    binOffset[f + 1] = binOffset[f] + numBins[f] + 1;
  }
  return { cuts, numBins, categorical: [...categorical], binOffset };
}

/** Bin of one value: the number of cuts <= x (binary search). */
export function binOf(cuts: Float32Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bins a matrix with a fitted mapper. Unseen categories share the missing bin. */
export function binMatrix(matrix: DenseMatrix, mapper: BinMapper): BinnedMatrix {
  const { numRows, numCols, values } = matrix;
  const bins = new Uint8Array(numRows * numCols);
  for (let f = 0; f < numCols; f++) {
    const cuts = mapper.cuts[f];
    const missing = mapper.numBins[f];
    const col = f * numRows;
    const isCat = mapper.categorical[f];
    for (let r = 0; r < numRows; r++) {
      const v = values[r * numCols + f];
      if (v !== v) bins[col + r] = missing;
      else if (isCat) bins[col + r] = v >= 0 && v < missing ? v : missing;
      else bins[col + r] = binOf(cuts, v);
    }
  }
  const rowBins = new Uint8Array(numRows * numCols);
  for (let f = 0; f < numCols; f++) {
    const col = f * numRows;
    for (let r = 0; r < numRows; r++) rowBins[r * numCols + f] = bins[col + r];
  }
  return { bins, rowBins, numRows, numCols, mapper };
}
