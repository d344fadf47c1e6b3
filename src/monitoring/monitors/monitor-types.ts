// What a monitor is (stored as its spec) and what one checked window gives.
import type { AlertSeverity, AlertState } from '../monitoring-snapshot.js';
import type { DriftColumnKind } from '../drift/drift-reference.js';
import type { WindowQuality } from '../quality/window-quality.js';

/** Where a monitor's reference comes from. */
export type MonitorReference =
  | {
      kind: 'dataset';
      /** `housing` (latest) or `housing@3`; pinned to a version when the monitor is created. */
      dataset: string;
      /** `profile` reads no data; `parquet` reads the version's file (exact tests when small). */
      source: 'profile' | 'parquet';
      /** The dataset column the model predicts: the reference for prediction drift. */
      target?: string;
    }
  | {
      kind: 'window';
      /** A past range of the deployment's own log (epoch ms or ISO), prediction included. */
      start: string | number;
      end: string | number;
    };

/** Which rows each check reads: the latest `rows` since the last check, or the last `durationMs`. */
export type MonitorWindowSpec =
  { kind: 'count'; rows: number } | { kind: 'time'; durationMs: number };

/** Drift thresholds; absent ones keep Evidently's defaults. */
export interface MonitorThresholds {
  /** p-value below which KS / chi-square call a column drifted (0.05). */
  pValue?: number;
  /** Distance at or above which Wasserstein / Jensen–Shannon call a column drifted (0.1). */
  distance?: number;
  /** Share of drifted columns at or above which the dataset drifted (0.5). */
  driftShare?: number;
  /** Reference rows up to which exact tests (KS, chi-square) are used (1,000). */
  rawLimit?: number;
}

/** What an alert does when it fires. */
export type AlertAction =
  | { kind: 'webhook'; url: string }
  /** Emits `monitoring.alert.fired` for pipelines' `alert:` triggers; `params` go in the payload. */
  | { kind: 'pipeline'; params?: Record<string, string | number | boolean> }
  | { kind: 'rollback'; deployment?: string }
  | { kind: 'pause-rollout'; deployment?: string };

export interface AlertRule {
  /** Unique within the monitor; what a pipeline's `alert: <rule>` trigger matches. */
  name: string;
  /** `drift_share >= 0.5`, `realized.rmse > 0.6`, `feature.income.drifted`. */
  when: string;
  /** Consecutive windows the condition must hold before the alert fires (1). */
  for: number;
  severity: AlertSeverity;
  /** After firing, the same rule does not fire again on this monitor for this long (0). */
  cooldownMs: number;
  actions: AlertAction[];
}

export interface MonitorSpec {
  deployment: string;
  reference: MonitorReference;
  window: MonitorWindowSpec;
  /** Model inputs to check (default: every input the reference and the log share). */
  columns?: string[];
  /** Column kinds where the reference cannot tell (numeric when absent). */
  kinds?: Record<string, DriftColumnKind>;
  thresholds: MonitorThresholds;
  /** Windows with fewer rows are not checked (default 30). */
  minRows: number;
  /** Realized performance as a classifier (AUC, precision, recall, logloss) or a regressor. */
  task: 'regression' | 'classification';
  alerts: AlertRule[];
  /** Whether the server's runner checks it on its interval (on-demand checks always work). */
  enabled: boolean;
}

export interface Monitor {
  name: string;
  spec: MonitorSpec;
  /** Log time up to which windows were checked (epoch ms). */
  cursor?: number;
  createdAt: number;
  updatedAt: number;
}

export interface FeatureDriftResult {
  feature: string;
  test: string;
  score: number;
  threshold: number;
  drifted: boolean;
}

export interface RealizedPerformance {
  labelledRows: number;
  metrics: Record<string, number>;
  /** The same per model version that answered (canary vs primary). */
  byModelVersion: Record<string, { labelledRows: number; metrics: Record<string, number> }>;
}

export interface ResourceUse {
  cpuSecondsPer1k: number;
  memoryBytesPer1k: number;
  costPer1kUsd: number;
  /** Predictions the CPU time was measured over. */
  predictions: number;
}

/** One checked window: stored, alerted on and shown. */
export interface MonitorResult {
  id: string;
  monitor: string;
  deployment: string;
  /** 1, 2, ... per monitor. */
  seq: number;
  windowStart: number;
  windowEnd: number;
  rows: number;
  /** The model version most of the window's rows were answered by. */
  modelVersion?: string;
  rowsByModelVersion: Record<string, number>;
  driftShare: number;
  datasetDrift: boolean;
  features: FeatureDriftResult[];
  prediction?: FeatureDriftResult;
  quality: WindowQuality;
  realized: RealizedPerformance;
  resources?: ResourceUse;
  createdAt: number;
}

export interface Alert {
  id: string;
  monitor: string;
  rule: string;
  deployment: string;
  severity: AlertSeverity;
  state: AlertState;
  /** Consecutive windows the condition held. */
  consecutive: number;
  since: number;
  firedAt?: number;
  resolvedAt?: number;
  ackedBy?: string;
  ackedAt?: number;
  /** The windows behind the state: results' ids and the values the rule saw. */
  evidence: AlertEvidence[];
  updatedAt: number;
}

export interface AlertEvidence {
  resultId: string;
  seq: number;
  windowEnd: number;
  /** The value the rule's left side had in that window. */
  value: number | boolean | null;
  held: boolean;
}

export interface AlertActionRecord {
  id: string;
  alertId: string;
  kind: AlertAction['kind'];
  outcome: 'succeeded' | 'failed';
  detail: Record<string, unknown>;
  createdAt: number;
}
