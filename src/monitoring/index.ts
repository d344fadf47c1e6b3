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
  registerMonitoringMetrics,
  type MonitoringMetricsOptions,
  type MonitoringSnapshotSource,
} from './metrics/monitoring-metrics.js';
export {
  DEFAULT_MONITORING_METRIC_LIMITS,
  selectSeries,
  type MonitoringMetricLimits,
} from './metrics/metric-limits.js';
