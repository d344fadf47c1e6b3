// Prometheus gauges over the monitoring snapshot: drift, realized performance, cost and alert
// states, computed when Prometheus scrapes (prom-client `collect`), never kept up to date in
// between. Label values are bounded: a capped number of deployments, features per deployment
// and realized metrics per deployment, and the alert catalogue's rules and three states.
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../core/index.js';
import {
  ALERT_STATES,
  type AlertSnapshot,
  type MonitoringSnapshot,
} from '../monitoring-snapshot.js';
import { selectSeries, type MonitoringMetricLimits } from './metric-limits.js';

/** Where the gauges read monitoring state from; the monitoring service in the composition root. */
export interface MonitoringSnapshotSource {
  snapshot(): Promise<MonitoringSnapshot>;
}

export interface MonitoringMetricsOptions {
  limits?: Partial<MonitoringMetricLimits>;
  logger?: Logger;
}

type GaugeSetter = (gauge: Gauge<string>, snapshot: MonitoringSnapshot) => void;

/**
 * Registers the monitoring gauges in `registry`. One scrape reads one snapshot: every gauge's
 * collect shares the read in flight. A failed read exports no monitoring series and sets
 * `gyre_monitoring_snapshot_success` to 0, so Prometheus can alert on it.
 */
export function registerMonitoringMetrics(
  registry: Registry,
  source: MonitoringSnapshotSource,
  options: MonitoringMetricsOptions = {},
): void {
  let inFlight: Promise<MonitoringSnapshot | undefined> | undefined;
  const read = (): Promise<MonitoringSnapshot | undefined> => {
    inFlight ??= source
      .snapshot()
      .then((snapshot) => selectSeries(snapshot, options.limits))
      .catch((error: unknown) => {
        options.logger?.warn({ err: error }, 'monitoring snapshot for /metrics failed');
        return undefined;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const gauge = (name: string, help: string, labelNames: string[], set: GaugeSetter) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const snapshot = await read();
        this.reset();
        if (snapshot) set(this, snapshot);
      },
    });

  new Gauge({
    name: 'gyre_monitoring_snapshot_success',
    help: 'Whether the last scrape could read the monitoring snapshot (1) or not (0).',
    registers: [registry],
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });

  gauge(
    'gyre_drift_score',
    "Latest window's drift test score per deployment and feature (`prediction` is the model output): a p-value for ks / chisquare, a distance otherwise.",
    ['deployment', 'feature', 'method'],
    (g, s) => {
      for (const d of s.deployments)
        for (const f of d.features)
          g.set({ deployment: d.deployment, feature: f.feature, method: f.method }, f.score);
    },
  );
  gauge(
    'gyre_feature_drifted',
    "Whether the feature drifted in the deployment's latest window (1) or not (0).",
    ['deployment', 'feature'],
    (g, s) => {
      for (const d of s.deployments)
        for (const f of d.features)
          g.set({ deployment: d.deployment, feature: f.feature }, f.drifted ? 1 : 0);
    },
  );
  perDeployment(
    gauge,
    'gyre_drift_share',
    'Share of features that drifted in the latest window, 0..1.',
    (d) => d.driftShare,
  );
  perDeployment(
    gauge,
    'gyre_dataset_drift',
    'Whether the latest window shows dataset drift (drift share at or above its threshold).',
    (d) => (d.datasetDrift ? 1 : 0),
  );
  perDeployment(
    gauge,
    'gyre_monitor_window_rows',
    'Predictions in the latest monitored window.',
    (d) => d.windowRows,
  );
  perDeployment(
    gauge,
    'gyre_monitor_window_end_timestamp_seconds',
    'When the latest monitored window ended (Unix seconds).',
    (d) => d.windowEnd / 1000,
  );
  gauge(
    'gyre_realized_performance',
    'Realized performance of the latest window from joined labels, per deployment and metric (rmse, mae, auc, precision, recall, logloss).',
    ['deployment', 'metric'],
    (g, s) => {
      for (const d of s.deployments)
        for (const [metric, value] of Object.entries(d.realized))
          g.set({ deployment: d.deployment, metric }, value);
    },
  );
  perDeployment(
    gauge,
    'gyre_realized_labelled_rows',
    'Labelled predictions the latest realized performance was computed on.',
    (d) => d.labelledRows,
  );
  perDeployment(
    gauge,
    'gyre_cpu_seconds_per_1k_predictions',
    'CPU seconds spent per 1,000 predictions, when measured.',
    (d) => d.cpuSecondsPer1k,
  );
  perDeployment(
    gauge,
    'gyre_memory_bytes_per_1k_predictions',
    'Memory (bytes) per 1,000 predictions, when measured.',
    (d) => d.memoryBytesPer1k,
  );
  perDeployment(
    gauge,
    'gyre_cost_per_1k_predictions_usd',
    'Cost in US dollars per 1,000 predictions, from the configured price per CPU-hour.',
    (d) => d.costPer1kUsd,
  );
  gauge(
    'gyre_alert_state',
    "1 for the alert's current state, 0 for the others, per rule and deployment (the latest alert of each pair).",
    ['rule', 'deployment', 'severity', 'state'],
    (g, s) => {
      for (const alert of s.alerts)
        for (const state of ALERT_STATES)
          g.set(alertLabels(alert, state), alert.state === state ? 1 : 0);
    },
  );
}

function alertLabels(alert: AlertSnapshot, state: string) {
  return { rule: alert.rule, deployment: alert.deployment, severity: alert.severity, state };
}

function perDeployment(
  gauge: (name: string, help: string, labelNames: string[], set: GaugeSetter) => Gauge<string>,
  name: string,
  help: string,
  value: (d: MonitoringSnapshot['deployments'][number]) => number | undefined,
): void {
  gauge(name, help, ['deployment'], (g, s) => {
    for (const d of s.deployments) {
      const v = value(d);
      if (v !== undefined && Number.isFinite(v)) g.set({ deployment: d.deployment }, v);
    }
  });
}
