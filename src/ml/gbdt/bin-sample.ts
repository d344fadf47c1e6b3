import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { SeededRandom } from '../random.js';
import type { BinSample } from './quantile-binner.js';
import { DEFAULT_BIN_SAMPLE, maxCategoryCode } from './quantile-binner.js';

/**
 * The sample a matrix's bin cuts are learned from: every row up to `sampleSize` rows, else
 * a seeded uniform sample (quantiles of 200,000 rows are as good as of all of them, and
 * sorting all of a large column would cost more than a few rounds of training).
 * Categorical features are scanned in full, so their category count and codes are exact.
 */
export function sampleMatrixForBins(
  x: DenseMatrix,
  features: readonly FeatureSpec[],
  maxBins: number,
  seed: number,
  sampleSize = DEFAULT_BIN_SAMPLE,
): BinSample {
  const { numRows, numCols, values } = x;
  const rows =
    numRows <= sampleSize ? null : new SeededRandom(seed).sampleIndices(numRows, sampleSize);
  const m = rows ? rows.length : numRows;
  const columns: Float32Array[] = [];
  for (let f = 0; f < numCols; f++) {
    const column = new Float32Array(m);
    for (let i = 0; i < m; i++) column[i] = values[(rows ? rows[i] : i) * numCols + f];
    columns.push(column);
  }
  const categorical = features.map((f) => f.type === 'categorical');
  const numCategories = features.map((spec, f) =>
    categorical[f] ? categoryCount(x, f, spec, maxBins) : undefined,
  );
  return { columns, categorical, numCategories };
}

function categoryCount(x: DenseMatrix, f: number, spec: FeatureSpec, maxBins: number): number {
  const { numRows, numCols, values } = x;
  const limit = maxCategoryCode(maxBins);
  let max = -1;
  for (let r = 0; r < numRows; r++) {
    const v = values[r * numCols + f];
    if (v !== v) continue;
    if (v < 0 || v !== Math.floor(v) || v > limit) {
      throw new InvalidArgumentError(
        `categorical feature ${f} must hold integer codes in [0, ${limit}], found ${v}`,
      );
    }
    if (v > max) max = v;
  }
  const listed = spec.categories?.length ?? 0;
  return Math.min(limit + 1, Math.max(max + 1, listed));
}
