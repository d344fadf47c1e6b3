// Model validation beyond a headline metric: slices, invariance, directional and baseline
// checks. Pure computation over columns and a predict function; the pipeline step runs it.
export type * from './validation-types.js';
export { sliceMetrics, type SliceOptions } from './slice-metrics.js';
export {
  invarianceTests,
  directionalTest,
  type InvarianceSpec,
  type DirectionalSpec,
} from './behaviour-tests.js';
export { validationMetric, VALIDATION_METRICS } from './metric-for-task.js';
export { parseValidationSuite, type ModelValidationSuite } from './validation-suite.js';
export { runValidationSuite, type SuiteInput } from './run-validation-suite.js';
