// Gyre's SDK: typed clients of the REST API (the package's main entry, `gyre`).
export { GyreClient } from './gyre-client.js';
export { HttpClient, type HttpClientOptions, type QueryValue } from './http-client.js';
export {
  RegistryClient,
  type ApiModelVersion,
  type ApiRegisteredModel,
  type ApiResolvedModelUri,
  type ApiSearch,
} from './registry-client.js';
export {
  TrackingClient,
  type ApiDatasetInput,
  type ApiExperiment,
  type ApiMetric,
  type ApiMetricValue,
  type ApiRun,
  type ApiRunInfo,
  type ApiRunStatus,
  type ApiTrackingSearch,
} from './tracking-client.js';
export { DataClient, type IngestOptions } from './data-client.js';
export {
  DeploymentsClient,
  type ApiDeployment,
  type ApiDeploymentRevision,
  type ApiDeployRequest,
  type ApiDeploymentManifests,
  type ApiRenderOptions,
  type ApiRouteSpec,
} from './deployments-client.js';
export {
  PipelinesClient,
  type ApiPipelineRun,
  type ApiPipelineRunDetail,
  type ApiPipelineRunStatus,
  type ApiPipelineStep,
} from './pipelines-client.js';
export {
  MonitoringClient,
  type ApiAlert,
  type ApiEvaluateOutcome,
  type ApiFeedbackLabel,
  type ApiMonitor,
  type ApiMonitorInput,
  type ApiMonitorResult,
  type ApiMonitoringSnapshot,
  type ApiRollout,
} from './monitoring-client.js';
export {
  FeaturesClient,
  defineEntity,
  defineFeatureView,
  defineFeatureService,
  type EntitySpec,
  type FeatureViewSpec,
  type FeatureServiceSpec,
  type ApiOnlineFeatures,
  type ApiPlanItem,
  type ApiViewFilter,
} from './features-client.js';
export { GovernanceClient, type ApiModelCard, type ApiCardFields } from './governance-client.js';
