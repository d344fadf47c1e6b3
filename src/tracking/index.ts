// Public surface of the tracking domain: other folders import tracking only from here.
export * from './types.js';
export { createTrackingService, type TrackingService } from './tracking-service.js';
export { ExperimentService, type ExperimentSearch } from './experiment-service.js';
export {
  RunService,
  LOGGED_MODELS_TAG,
  type CreateRun,
  type LogBatch,
  type RunSearch,
} from './run-service.js';
export { RUN_NAME_TAG } from './kysely-run-store.js';
export { LIMITS } from './validation.js';
export {
  PROXY_SCHEME,
  PROXY_STORE_PREFIX,
  defaultExperimentArtifactLocation,
  runArtifactUri,
  storePathOfArtifactUri,
  requireStorePath,
} from './artifact-location.js';
export { RUN_SEARCH_FIELDS, EXPERIMENT_SEARCH_FIELDS } from './tracking-search-fields.js';
export { metricsToJson, doubleToJson, type MetricHistoryJson } from './metric-json.js';
export { createTrialRunLogger, type TrialRunLogger, type TrialToLog } from './trial-run-logger.js';
