import { InvalidArgumentError } from '../../core/index.js';

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

/** Largest bin count a feature may use, leaving one byte value for the missing bin. */
export const MAX_BINS = 256;

/**
 * Categorical codes must leave two byte values free above them: the missing bin, and (for
 * validation data) a bin for codes training never saw, which every split sends left.
 */
export function maxCategoryCode(maxBins: number): number {
  return maxBins - 3;
}

/** Rows used to learn cuts when a dataset is larger (LightGBM's default sample size). */
export const DEFAULT_BIN_SAMPLE = 200_000;

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

function checkCategoryCode(f: number, v: number, maxBins: number): void {
  if (v < 0 || v !== Math.floor(v) || v > maxCategoryCode(maxBins)) {
    throw new InvalidArgumentError(
      `categorical feature ${f} must hold integer codes in [0, ${maxCategoryCode(maxBins)}], found ${v}`,
    );
  }
}

/** What {@link fitBinMapper} learns cuts from: sample values per feature. */
export interface BinSample {
  /** Sample values of each feature (NaN = missing); all the same length. */
  columns: readonly ArrayLike<number>[];
  categorical: readonly boolean[];
  /**
   * Category count per categorical feature when known (e.g. from the category list); else
   * the largest code in the sample plus one.
   */
  numCategories?: readonly (number | undefined)[];
}

/** Learns bin boundaries from a sample of the training data. */
export function fitBinMapper(sample: BinSample, maxBins: number): BinMapper {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new InvalidArgumentError(`maxBins must be an integer in [2, ${MAX_BINS}]`, { maxBins });
  }
  const { columns, categorical } = sample;
  const numCols = columns.length;
  const cuts: Float32Array[] = [];
  const numBins = new Int32Array(numCols);
  const binOffset = new Int32Array(numCols + 1);
  for (let f = 0; f < numCols; f++) {
    const column = columns[f];
    if (categorical[f]) {
      let count = sample.numCategories?.[f];
      if (count === undefined) {
        let max = -1;
        for (let r = 0; r < column.length; r++) {
          const v = column[r];
          if (v !== v) continue;
          checkCategoryCode(f, v, maxBins);
          if (v > max) max = v;
        }
        count = max + 1;
      } else if (!(
        Number.isInteger(count) &&
        count >= 0 &&
        count <= maxCategoryCode(maxBins) + 1
      )) {
        throw new InvalidArgumentError(
          `categorical feature ${f} has ${count} categories; at most ${maxCategoryCode(maxBins) + 1} fit in ${maxBins} bins`,
        );
      }
      cuts.push(new Float32Array(0));
      numBins[f] = count;
    } else {
      const present = new Float32Array(column.length);
      let m = 0;
      for (let r = 0; r < column.length; r++) {
        const v = column[r];
        if (v === v) present[m++] = v;
      }
      const c = numericCuts(present.subarray(0, m).sort(), maxBins - 1);
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

/**
 * Bin of one value of feature f. Missing values get the missing bin. Category codes are
 * truncated like the evaluator does; codes outside the training categories get the missing
 * bin in training data (`unseenBin` false: they must land in a histogram) and the "unseen"
 * bin past it otherwise, which every categorical split sends left, as the evaluator does.
 */
export function valueBin(mapper: BinMapper, f: number, x: number, unseenBin: boolean): number {
  const missing = mapper.numBins[f];
  if (x !== x) return missing;
  if (!mapper.categorical[f]) return binOf(mapper.cuts[f], x);
  if (x >= 0 && x < missing) return x >>> 0;
  return unseenBin ? missing + 1 : missing;
}
