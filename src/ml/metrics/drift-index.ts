// The drift statistics' public surface, exported from ml/index.ts in one line so the rest of
// ml (edited by others in parallel) stays untouched.
export {
  chiSquareSurvival,
  erfc,
  logGamma,
  normalCdf,
  regularizedGammaP,
  regularizedGammaQ,
} from './drift-special-functions.js';
export { kolmogorovSmirnovSurvival, smirnovSurvival } from './drift-kolmogorov.js';
export {
  KS_EXACT_MAX_N,
  ksPValue,
  ksStatistic,
  ksStatisticAtReference,
  ksTest,
  ksTestSorted,
  type KsMethod,
  type KsResult,
} from './drift-ks-test.js';
export {
  WASSERSTEIN_MIN_STD,
  jensenShannonDistance,
  normedWasserstein,
  populationStd,
  wassersteinDistance,
  wassersteinDistanceBinned,
  wassersteinDistanceSorted,
  type BinnedSample,
} from './drift-distances.js';
export {
  categoryChiSquare,
  chiSquareTest,
  proportionZTest,
  type ChiSquareResult,
  type ZTestResult,
} from './drift-category-tests.js';
export {
  RAW_REFERENCE_LIMIT,
  REFERENCE_BINS,
  binIndex,
  categoricalReference,
  categoricalWindow,
  distinctSorted,
  numericReference,
  numericWindow,
  quantileEdges,
  type CategoricalReference,
  type CategoricalWindow,
  type CategoryCount as DriftCategoryCount,
  type ColumnReference,
  type ColumnWindow,
  type NumericReference,
  type NumericWindow,
} from './drift-columns.js';
export {
  CATEGORICAL_DISTINCT_LIMIT,
  DEFAULT_DRIFT_THRESHOLDS,
  DRIFT_TESTS,
  defaultDriftTest,
  detectDrift,
  type ColumnDrift,
  type DriftOptions,
  type DriftReport,
  type DriftTest,
} from './drift-detect.js';
