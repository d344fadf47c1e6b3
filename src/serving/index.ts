// Public surface of serving: model runtimes, the loader, deployments, the router, the
// prediction log and batch prediction. Other folders import serving only from here.
export * from './runtimes/model-runtime.js';
export { RUNTIME_FACTORIES, SERVABLE_FLAVORS, factoryFor } from './runtimes/runtime-factories.js';
export { OnnxRuntimeModel, type OnnxOutputs } from './runtimes/onnx/index.js';
export {
  ModelLoader,
  describe as describeModel,
  type ResolvedModel,
  type InspectedModel,
  type LoadedModel,
  type ModelSource,
} from './loader/model-loader.js';
export * from './deployments/deployment-types.js';
export type { DeploymentStore, NewRevision } from './deployments/deployment-store.js';
export { KyselyDeploymentStore } from './deployments/kysely-deployment-store.js';
export { DeploymentService, type DeployRequest } from './deployments/deployment-service.js';
export { checkDeploymentName, modelUriOf, checkSpec } from './deployments/deployment-spec.js';
export { modelFollower } from './deployments/model-follower.js';
export {
  compileValidator,
  UNKNOWN_CATEGORY_POLICIES,
  type UnknownCategoryPolicy,
  type BatchValidator,
} from './signature/input-validator.js';
export { InputError, badRequest } from './signature/input-error.js';
export {
  createServingServices,
  type ServingServices,
  type ServingServicesOptions,
} from './serving-services.js';
export { CompiledSignature } from './signature/compiled-signature.js';
export { TrafficSplit, hashToUnit } from './router/traffic-split.js';
export {
  ModelServer,
  type BatchDecoder,
  type InferenceCall,
  type InferenceResult,
  type ModelServerOptions,
} from './model-server/model-server.js';
export { RoutingTable, type ServedRoute } from './model-server/routing-table.js';
export type { RevisionToServe } from './model-server/live-deployment.js';
export {
  combineObservers,
  type PredictionObserver,
  type PredictionRecord,
} from './model-server/prediction-observer.js';
export { ServingMetrics, DEFAULT_PREDICTION_BUCKETS } from './metrics/serving-metrics.js';
export { PredictionLog, type PredictionLogOptions } from './prediction-log/prediction-log.js';
export { LOG_COLUMNS, FEATURE_PREFIX, logColumns } from './prediction-log/log-schema.js';
export {
  StoredDeploymentsFeed,
  SingleModelFeed,
  type DeploymentFeed,
  type FeedSink,
  type FeedOptions,
} from './model-server/deployment-feed.js';
export {
  createModelServer,
  type CreateModelServerOptions,
} from './model-server/create-model-server.js';
export {
  batchPredict,
  type BatchPredictRequest,
  type BatchPredictResult,
} from './batch/batch-predict.js';
export {
  batchPredictToDataset,
  PREDICTION_FORMATS,
  type PredictionFormat,
  type DatasetPredictRequest,
  type DatasetPredictResult,
} from './batch/batch-predict-dataset.js';
export {
  runRollout,
  type RolloutAnalysis,
  type RolloutDecision,
  type RolloutOptions,
  type RolloutOutcome,
  type RolloutStepContext,
} from './rollout/rollout-runner.js';
export { FeatureEnricher } from './enrichment/feature-enricher.js';
export {
  piiLogPolicy,
  type LogPrivacy,
  type PiiLogAction,
  type PiiLogPolicyOptions,
} from './prediction-log/log-privacy.js';
