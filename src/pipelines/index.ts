// The pipelines domain's public surface: definitions, runs, steps, executors, triggers.
// Other folders import pipelines only from here.
export * from './types.js';
export type {
  PipelineSpec,
  StepSpec,
  ParamSpec,
  TriggerSpec,
  OutputSpec,
  RetrySpec,
  ValueType,
} from './spec/pipeline-spec.js';
export { VALUE_TYPES } from './spec/pipeline-spec.js';
export type { RawPipeline } from './spec/spec-schema.js';
export { definePipeline } from './spec/define-pipeline.js';
export { PipelineService, type StartRunRequest } from './pipeline-service.js';
export {
  createPipelineServices,
  type PipelineServices,
  type PipelineServicesOptions,
} from './pipeline-services.js';
export type { PipelineStore, RunStatusStatistics } from './store/pipeline-store.js';
export { PIPELINE_DURATION_BUCKETS, registerPipelineMetrics } from './metrics/pipeline-metrics.js';
export { KyselyPipelineStore } from './store/kysely-pipeline-store.js';
export type { Executor, StepTask, AttemptResult, StepIo } from './executors/executor.js';
export type { StepWorkerData } from './executors/local/index.js';
export type {
  BuiltinStep,
  StepContext,
  StepServices,
  OutputValue,
  StepOutputs,
} from './steps/step-types.js';
export { listBuiltinSteps, builtinStep } from './steps/builtin-steps.js';
export {
  fixedEndpoint,
  sharedEndpoint,
  type ApiEndpoint,
  type ApiLease,
} from './runner/api-endpoint.js';
export type { RunObserver } from './runner/run-context.js';
export { readStepLog } from './runner/step-logs.js';
export { waitForApproval } from './runner/wait-for-approval.js';
export { trainingPipeline, type TrainingPipelineOptions } from './training-pipeline.js';
export {
  MONITORING_ALERT_FIRED,
  TRIGGER_EVENT_TYPES,
  type AlertFiredPayload,
} from './triggers/trigger-events.js';
export { PipelineTriggers } from './triggers/pipeline-triggers.js';
