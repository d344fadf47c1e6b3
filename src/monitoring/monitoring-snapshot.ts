// The latest state of every monitor, as one read: what Prometheus gauges, the CLI's summary
// and the demo console show. The monitoring service builds it from stored monitor results and
// alert states; readers never compute drift themselves.

/** Alert lifecycle: a rule's condition held (pending) for `for` windows (firing), then cleared. */
export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface FeatureDriftSnapshot {
  /** A model input column, or `prediction` for the model's output. */
  feature: string;
  /** The test Evidently's defaults chose: ks, wasserstein, chisquare, jensenshannon, psi. */
  method: string;
  /** The test's score: a p-value for ks / chisquare, a distance otherwise. */
  score: number;
  drifted: boolean;
}

export interface DeploymentMonitorSnapshot {
  deployment: string;
  /** The model version the window's traffic was answered by (the primary route's). */
  modelVersion?: string;
  /** When the latest window ended (epoch ms) and how many predictions it held. */
  windowEnd: number;
  windowRows: number;
  /** Share of features that drifted in the latest window, 0..1. */
  driftShare: number;
  datasetDrift: boolean;
  features: FeatureDriftSnapshot[];
  /** Realized performance from joined labels (rmse, mae, auc, precision, recall, logloss). */
  realized: Record<string, number>;
  /** Labelled predictions in the window realized performance was computed on. */
  labelledRows: number;
  /** Resource use and cost per 1,000 predictions, when measured. */
  cpuSecondsPer1k?: number;
  memoryBytesPer1k?: number;
  costPer1kUsd?: number;
}

export interface AlertSnapshot {
  id: string;
  rule: string;
  deployment: string;
  severity: AlertSeverity;
  state: AlertState;
  /** When the alert entered its current state (epoch ms). */
  since: number;
}

export interface MonitoringSnapshot {
  deployments: DeploymentMonitorSnapshot[];
  /** Alerts not resolved, plus the ones resolved in the last hour. */
  alerts: AlertSnapshot[];
}
