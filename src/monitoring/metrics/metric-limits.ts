// Bounds on the label values the monitoring gauges export. A Prometheus series is kept for
// every label combination it has seen, so an unbounded feature list or deployment count
// would grow its memory without limit; past a cap, the least telling series are dropped.
import type { AlertSnapshot, AlertState, MonitoringSnapshot } from '../monitoring-snapshot.js';
import { PREDICTION_COLUMN } from '../drift-monitor.js';

export interface MonitoringMetricLimits {
  /** Deployments exported (by name order). */
  deployments: number;
  /** Features per deployment with drift series (drifted first, then by name; `prediction` always). */
  featuresPerDeployment: number;
  /** Realized-performance metrics per deployment (by name order). */
  realizedMetricsPerDeployment: number;
  /** Rule × deployment pairs with alert-state series (firing first, then pending, then resolved). */
  alerts: number;
}

export const DEFAULT_MONITORING_METRIC_LIMITS: MonitoringMetricLimits = {
  deployments: 50,
  featuresPerDeployment: 30,
  realizedMetricsPerDeployment: 10,
  alerts: 200,
};

const STATE_ORDER: Record<AlertState, number> = { firing: 0, pending: 1, resolved: 2 };

/** The part of a snapshot the gauges export, within `limits`. */
export function selectSeries(
  snapshot: MonitoringSnapshot,
  limits: Partial<MonitoringMetricLimits> = {},
): MonitoringSnapshot {
  const caps = { ...DEFAULT_MONITORING_METRIC_LIMITS, ...limits };
  const deployments = [...snapshot.deployments]
    .sort((a, b) => compare(a.deployment, b.deployment))
    .slice(0, caps.deployments)
    .map((d) => ({
      ...d,
      features: [...d.features]
        .sort(
          (a, b) =>
            rank(b.feature === PREDICTION_COLUMN) - rank(a.feature === PREDICTION_COLUMN) ||
            rank(b.drifted) - rank(a.drifted) ||
            compare(a.feature, b.feature),
        )
        .slice(0, caps.featuresPerDeployment),
      realized: Object.fromEntries(
        Object.entries(d.realized)
          .sort(([a], [b]) => compare(a, b))
          .slice(0, caps.realizedMetricsPerDeployment),
      ),
    }));
  return { deployments, alerts: latestAlerts(snapshot.alerts).slice(0, caps.alerts) };
}

/** One alert per rule and deployment (the one whose state changed last), most urgent first. */
function latestAlerts(alerts: AlertSnapshot[]): AlertSnapshot[] {
  const latest = new Map<string, AlertSnapshot>();
  for (const alert of alerts) {
    const key = JSON.stringify([alert.rule, alert.deployment]);
    const seen = latest.get(key);
    if (!seen || alert.since > seen.since) latest.set(key, alert);
  }
  return [...latest.values()].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      b.since - a.since ||
      compare(a.rule, b.rule) ||
      compare(a.deployment, b.deployment),
  );
}

const rank = (b: boolean) => (b ? 1 : 0);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
