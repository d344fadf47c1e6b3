// Public surface of Gyre's built-in ML: pure computation over typed arrays, no I/O.
export * from './dense-matrix.js';
export * from './feature-spec.js';
export { SeededRandom, trainTestSplit } from './random.js';
export type {
  TreeSpec,
  TreeEnsemble,
  EnsembleHeader,
  OutputTransform,
} from './trees/tree-ensemble.js';
export { buildTreeEnsemble } from './trees/tree-ensemble.js';
export { predictBatch, predictRowInto, predictMarginRow } from './trees/tree-evaluator.js';
export { shapRowInto, shapValues } from './trees/tree-shap.js';
export type { GbdtParams } from './gbdt/gbdt-params.js';
export { GBDT_DEFAULTS, resolveGbdtParams } from './gbdt/gbdt-params.js';
export type { GbdtObjective } from './gbdt/objectives.js';
export { GbdtModel } from './gbdt/gbdt-model.js';
export type { FeatureImportance, EvalHistory } from './gbdt/gbdt-model.js';
export type { GbdtTrainInput } from './gbdt/train-gbdt.js';
export { trainGbdt } from './gbdt/train-gbdt.js';
export type { ColumnChunk, GbdtDataset, GbdtDatasetOptions } from './gbdt/gbdt-dataset.js';
export { GbdtDatasetBuilder, trainGbdtDataset } from './gbdt/gbdt-dataset.js';
export * from './metrics/regression-metrics.js';
export * from './metrics/classification-metrics.js';
export * from './metrics/ranking-metrics.js';
export type { UbjValue } from './formats/ubjson.js';
export { decodeUbjson } from './formats/ubjson.js';
export {
  importXgboostJson,
  importXgboostUbj,
  importXgboostModel,
} from './formats/xgboost-import.js';
export type { LinearKind } from './linear/linear-model.js';
export { LinearModel } from './linear/linear-model.js';
export type { LinearRegressionOptions, LogisticRegressionOptions } from './linear/train-linear.js';
export { trainLinearRegression, trainLogisticRegression } from './linear/train-linear.js';
export type { RawValue, ColumnTransform, PreprocessorSpec } from './preprocess/preprocessor.js';
export { Preprocessor } from './preprocess/preprocessor.js';
export type { PreprocessorOptions, RawColumn } from './preprocess/fit-preprocessor.js';
export { fitPreprocessor } from './preprocess/fit-preprocessor.js';
export type { Predictor, SignatureInput } from './servable-model.js';
export { ServableModel } from './servable-model.js';
export type { GyreModelDocument } from './formats/gyre-format.js';
export {
  GYRE_FORMAT,
  GYRE_SCHEMA_VERSION,
  parseGyreModel,
  serializeGyreModel,
  toGyreDocument,
} from './formats/gyre-format.js';
export type { ModelDirectory, ModelDirectoryOptions } from './formats/model-directory.js';
export {
  GYRE_MODEL_FILE,
  MLMODEL_FILE,
  buildModelDirectory,
  loadModelDirectory,
  parseMlmodel,
} from './formats/model-directory.js';
export { exportOnnx } from './formats/onnx-export.js';
export { exportXgboostJson, XGBOOST_EXPORT_VERSION } from './formats/xgboost-export.js';
export type { ParamDomain, SearchSpace, SampledParams } from './tuning/search-space.js';
export { sampleParams } from './tuning/search-space.js';
export type { TrialReport, TuneOptions, TuneResult } from './tuning/tune-gbdt.js';
export { tuneGbdt } from './tuning/tune-gbdt.js';
export { importLightgbmText } from './formats/lightgbm-import.js';
export * from './metrics/drift-metrics.js';
export * from './metrics/drift-index.js';
export * from './validation/index.js';
