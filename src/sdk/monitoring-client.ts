import type { HttpClient } from './http-client.js';

/** A monitor definition as `POST /api/v1/monitors` takes it (see docs/monitoring.md). */
export interface ApiMonitorInput {
  name: string;
  deployment: string;
  reference:
    | { dataset: string; source?: 'profile' | 'parquet'; target?: string }
    | { window: { start: number | string; end: number | string } };
  window: { rows: number } | { durationMs: number };
  columns?: string[];
  kinds?: Record<string, 'numeric' | 'categorical'>;
  thresholds?: { pValue?: number; distance?: number; driftShare?: number; rawLimit?: number };
  minRows?: number;
  task?: 'regression' | 'classification';
  alerts?: {
    name: string;
    when: string;
    for?: number;
    severity?: 'info' | 'warning' | 'critical';
    cooldownMs?: number;
    actions?: (
      | { kind: 'webhook'; url: string }
      | { kind: 'pipeline'; params?: Record<string, string | number | boolean> }
      | { kind: 'rollback'; deployment?: string }
      | { kind: 'pause-rollout'; deployment?: string }
    )[];
  }[];
  enabled?: boolean;
}

export interface ApiFeatureDrift {
  feature: string;
  test: string;
  score: number;
  threshold: number;
  drifted: boolean;
}

/** One checked window of a monitor. */
export interface ApiMonitorResult {
  id: string;
  monitor: string;
  deployment: string;
  seq: number;
  windowStart: number;
  windowEnd: number;
  rows: number;
  modelVersion?: string;
  rowsByModelVersion: Record<string, number>;
  driftShare: number;
  datasetDrift: boolean;
  features: ApiFeatureDrift[];
  prediction?: ApiFeatureDrift;
  quality: Record<string, unknown>;
  realized: {
    labelledRows: number;
    metrics: Record<string, number>;
    byModelVersion: Record<string, { labelledRows: number; metrics: Record<string, number> }>;
  };
  resources?: {
    cpuSecondsPer1k: number;
    memoryBytesPer1k: number;
    costPer1kUsd: number;
    /** Predictions the CPU time was measured over. */
    predictions: number;
  };
  createdAt: number;
}

export interface ApiMonitor {
  name: string;
  spec: Record<string, unknown> & { deployment: string };
  cursor?: number;
  createdAt: number;
  updatedAt: number;
  latest?: ApiMonitorResult;
}

export interface ApiAlert {
  id: string;
  monitor: string;
  rule: string;
  deployment: string;
  severity: 'info' | 'warning' | 'critical';
  state: 'pending' | 'firing' | 'resolved';
  consecutive: number;
  since: number;
  firedAt?: number;
  resolvedAt?: number;
  ackedBy?: string;
  ackedAt?: number;
  evidence: {
    resultId: string;
    seq: number;
    windowEnd: number;
    value: number | boolean | null;
    held: boolean;
  }[];
  updatedAt: number;
  actions?: {
    id: string;
    kind: string;
    outcome: 'succeeded' | 'failed';
    detail: Record<string, unknown>;
    createdAt: number;
  }[];
}

export interface ApiEvaluateOutcome {
  status: 'checked' | 'skipped';
  reason?: string;
  result?: ApiMonitorResult;
  alerts: { id: string; rule: string; state: ApiAlert['state']; change: string }[];
  actions: NonNullable<ApiAlert['actions']>;
}

export type ApiFeedbackLabel =
  | { requestId: string; rowIndex?: number; label: number | boolean }
  | { routingKey: string; time: number | string; label: number | boolean };

export interface ApiRollout {
  rollout: {
    deployment: string;
    state: 'running' | 'paused' | 'promoted' | 'rolled-back' | 'superseded' | 'failed';
    plan: { steps: { weight: number; pauseMs: number }[] };
    baseRevision: number;
    step: number;
    stepRevision?: number;
    stepDueAt?: number;
    outcome?: string;
  };
  analyses: {
    id: string;
    revision: number;
    step: number;
    decision: string;
    evidence: Record<string, unknown>;
    createdAt: number;
  }[];
}

/** The monitoring snapshot (src/monitoring/monitoring-snapshot.ts). */
export interface ApiMonitoringSnapshot {
  deployments: {
    deployment: string;
    modelVersion?: string;
    windowEnd: number;
    windowRows: number;
    driftShare: number;
    datasetDrift: boolean;
    features: { feature: string; method: string; score: number; drifted: boolean }[];
    realized: Record<string, number>;
    labelledRows: number;
    cpuSecondsPer1k?: number;
    memoryBytesPer1k?: number;
    costPer1kUsd?: number;
  }[];
  alerts: {
    id: string;
    rule: string;
    deployment: string;
    severity: string;
    state: string;
    since: number;
  }[];
}

const enc = encodeURIComponent;

/** Typed client of monitors, alerts, label feedback, rollouts and the monitoring snapshot. */
export class MonitoringClient {
  constructor(private readonly http: HttpClient) {}

  async listMonitors(deployment?: string): Promise<ApiMonitor[]> {
    return (
      await this.http.request<{ monitors: ApiMonitor[] }>('GET', '/api/v1/monitors', {
        query: { deployment },
      })
    ).monitors;
  }

  createMonitor(input: ApiMonitorInput) {
    return this.http.request<ApiMonitor>('POST', '/api/v1/monitors', { body: input });
  }

  getMonitor(name: string) {
    return this.http.request<ApiMonitor>('GET', `/api/v1/monitors/${enc(name)}`);
  }

  async deleteMonitor(name: string): Promise<void> {
    await this.http.request<unknown>('DELETE', `/api/v1/monitors/${enc(name)}`);
  }

  /** Checks the monitor's next window now (or a past range `{ start, end }`). */
  evaluate(name: string, window?: { start: number; end: number }) {
    return this.http.request<ApiEvaluateOutcome>('POST', `/api/v1/monitors/${enc(name)}/evaluate`, {
      body: window ?? {},
    });
  }

  async results(name: string, limit?: number): Promise<ApiMonitorResult[]> {
    return (
      await this.http.request<{ results: ApiMonitorResult[] }>(
        'GET',
        `/api/v1/monitors/${enc(name)}/results`,
        { query: { limit } },
      )
    ).results;
  }

  async listAlerts(
    filter: {
      state?: ApiAlert['state'];
      monitor?: string;
      deployment?: string;
      rule?: string;
    } = {},
  ): Promise<ApiAlert[]> {
    return (
      await this.http.request<{ alerts: ApiAlert[] }>('GET', '/api/v1/alerts', { query: filter })
    ).alerts;
  }

  getAlert(id: string) {
    return this.http.request<ApiAlert>('GET', `/api/v1/alerts/${enc(id)}`);
  }

  ackAlert(id: string, by?: string) {
    return this.http.request<ApiAlert>('POST', `/api/v1/alerts/${enc(id)}/ack`, { body: { by } });
  }

  /** Sends ground-truth labels (at most 10,000 per call); re-sending one is a no-op. */
  sendFeedback(deployment: string, labels: ApiFeedbackLabel[]) {
    return this.http.request<{ accepted: number; duplicates: number; updated: number }>(
      'POST',
      `/api/v1/deployments/${enc(deployment)}/feedback`,
      { body: { labels } },
    );
  }

  getRollout(deployment: string) {
    return this.http.request<ApiRollout>('GET', `/api/v1/deployments/${enc(deployment)}/rollout`);
  }

  rollout(
    deployment: string,
    action: 'start' | 'pause' | 'resume' | 'advance',
    steps?: { weight: number; pauseMs: number }[],
  ) {
    return this.http.request<ApiRollout>('POST', `/api/v1/deployments/${enc(deployment)}/rollout`, {
      body: { action, ...(steps ? { steps } : {}) },
    });
  }

  snapshot() {
    return this.http.request<ApiMonitoringSnapshot>('GET', '/api/v1/monitoring/snapshot');
  }
}
