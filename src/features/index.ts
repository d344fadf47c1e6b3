// The feature store's public surface: definitions (entities, feature views, feature
// services), point-in-time training sets, the online store and materialization, discovery.
// Other folders import only from here.
export {
  FEATURE_TYPES,
  DEFINITION_KINDS,
  parseDuration,
  definitionSchema,
  type Definition,
  type DefinitionKind,
  type DefinitionInput,
  type EntityDefinition,
  type EntityInput,
  type FeatureDefinition,
  type FeatureType,
  type FeatureViewDefinition,
  type FeatureViewInput,
  type FeatureViewSource,
  type FeatureServiceDefinition,
  type FeatureServiceInput,
} from './definitions/definition-schema.js';
export { defineEntity, defineFeatureView, defineFeatureService } from './definitions/define.js';
export {
  parseDefinitionsYaml,
  checkDefinition,
  definitionsError,
  type DefinitionIssue,
} from './definitions/parse-definitions.js';
export { readDefinitionsDir, type LocatedDefinition } from './definitions/read-definitions-dir.js';
export { contentDigest } from './definitions/content-digest.js';
export {
  FeatureRegistry,
  type ApplyResult,
  type PlanItem,
  type ViewFilter,
  type ResolvedService,
} from './feature-registry.js';
export type { StoredDefinition, Materialization } from './store.js';
export {
  TrainingSets,
  type TrainingSetRequest,
  type TrainingSetResult,
} from './offline/training-sets.js';
export { pointInTimeSql, writePointInTime, type JoinedView } from './offline/point-in-time-join.js';
export { Materializer, type MaterializeRequest } from './online/materializer.js';
export {
  OnlineFeatures,
  type OnlineLookup,
  type FeatureRow,
  type ServicePlan,
  type OnlineFeaturesOptions,
} from './online/online-features.js';
export {
  entityKey,
  type OnlineStore,
  type OnlineRecord,
  type OnlineValue,
  type OnlineWrite,
} from './online/online-store.js';
export { openOnlineStore } from './online/open-online-store.js';
export { SqlOnlineStore } from './online/sql/sql-online-store.js';
export { RedisOnlineStore } from './online/redis/redis-online-store.js';
export {
  FeatureDiscovery,
  type FeatureDeployment,
  type FeatureUsage,
  type FeatureViewDetail,
  type ViewFreshness,
} from './discovery.js';
export {
  createFeatureServices,
  type FeatureServices,
  type FeatureServicesOptions,
} from './features-services.js';
export { registerFeatureMetrics } from './feature-metrics.js';
