// The monitoring domain's public surface: drift and data quality of prediction-log windows
// against a reference. Alerts, actions, feedback and canary analysis build on these.
export { DriftMonitor, PREDICTION_COLUMN, type DriftMonitorOptions } from './drift-monitor.js';
export {
  referenceFromParquet,
  referenceFromProfile,
  type DriftColumnKind,
  type DriftReference,
} from './drift/drift-reference.js';
export {
  computeWindowDrift,
  toColumnWindow,
  windowRequests,
  type WindowDriftOptions,
  type WindowDriftResult,
} from './drift/window-drift.js';
export {
  windowQuality,
  type ColumnQuality,
  type SchemaViolations,
  type WindowQuality,
} from './quality/window-quality.js';
export { toParquetWindow, type MonitorWindow } from './windows/monitor-window.js';
export {
  DEFAULT_PREDICTION_LOG_LAYOUT,
  predictionLogFiles,
  predictionLogLayout,
  type PredictionLogLayout,
} from './windows/prediction-log-layout.js';
export {
  ALERT_SEVERITIES,
  ALERT_STATES,
  type AlertSeverity,
  type AlertSnapshot,
  type AlertState,
  type DeploymentMonitorSnapshot,
  type FeatureDriftSnapshot,
  type MonitoringSnapshot,
} from './monitoring-snapshot.js';
export {
  createMonitoringServices,
  type MonitoringServices,
  type MonitoringServicesOptions,
} from './monitoring-services.js';
export {
  MonitoringService,
  type EvaluateOutcome,
  type MonitorWithLatest,
} from './monitoring-service.js';
export { MonitorRunner } from './monitor-runner.js';
export {
  monitorInputSchema,
  parseMonitorInput,
  type MonitorInput,
} from './monitors/monitor-spec.js';
export type * from './monitors/monitor-types.js';
export type { WindowOverride } from './monitors/window-evaluator.js';
export { SERVING_LOG_LAYOUT } from './windows/serving-log-layout.js';
export {
  FeedbackService,
  MAX_FEEDBACK_BATCH,
  type FeedbackLabel,
} from './feedback/feedback-service.js';
export type { FeedbackCounts } from './store/feedback-store.js';
export type { AlertFilter } from './store/alert-store.js';
export { MONITORING_ALERT_FIRED } from './alerts/alert-engine.js';
export { parseRuleExpression, evaluateRule } from './alerts/rule-expression.js';
export {
  analyzeCanary,
  canaryRolloutAnalysis,
  DEFAULT_CANARY_CRITERIA,
  type CanaryCriteria,
  type CanaryEvidence,
  type CanaryVerdict,
} from './canary/canary-analysis.js';
export { RolloutDriver } from './canary/rollout-driver.js';
export {
  ROLLOUT_STATES,
  type DrivenRollout,
  type RolloutAnalysisRecord,
  type RolloutState,
} from './store/rollout-store.js';
export {
  registerMonitoringMetrics,
  type MonitoringMetricsOptions,
  type MonitoringSnapshotSource,
} from './metrics/monitoring-metrics.js';
export {
  DEFAULT_MONITORING_METRIC_LIMITS,
  selectSeries,
  type MonitoringMetricLimits,
} from './metrics/metric-limits.js';
// Governance's cost reports read the same usage records monitoring prices windows from.
export { measureResourceUse } from './monitors/resource-use.js';
export type { ExternalCheck } from './alerts/external-alert.js';
