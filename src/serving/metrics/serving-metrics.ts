import { Counter, Histogram, type Registry } from 'prom-client';
import type { PredictionObserver, PredictionRecord } from '../model-server/prediction-observer.js';
import type { ServedRoute } from '../model-server/routing-table.js';

/** Default buckets for prediction values: probabilities and typical regression targets. */
export const DEFAULT_PREDICTION_BUCKETS = [
  0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1, 2, 5, 10, 100, 1e3, 1e4, 1e5, 1e6,
];

const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

interface RouteChildren {
  requests: Counter.Internal;
  rows: Counter.Internal;
  latency: Histogram.Internal<string>;
  value: Histogram.Internal<string>;
}

/**
 * Prometheus metrics per deployment and model version: requests (by role), predicted rows,
 * latency, prediction values, and errors by code. Label values are bounded: deployment names
 * and the versions they serve (a retired version's series are removed), and the error
 * catalog's codes. Label children are looked up once per route, not per request.
 */
export class ServingMetrics implements PredictionObserver {
  private readonly requests: Counter<'deployment' | 'model_version' | 'role'>;
  private readonly rows: Counter<'deployment' | 'model_version' | 'role'>;
  private readonly errors: Counter<'deployment' | 'code'>;
  private readonly latency: Histogram<'deployment' | 'model_version' | 'role'>;
  private readonly value: Histogram<'deployment' | 'model_version' | 'role'>;
  private readonly children = new WeakMap<ServedRoute, RouteChildren>();

  constructor(registry: Registry, predictionBuckets: number[] = DEFAULT_PREDICTION_BUCKETS) {
    const labelNames = ['deployment', 'model_version', 'role'] as const;
    const registers = [registry];
    this.requests = new Counter({
      name: 'gyre_inference_requests_total',
      help: 'Answered inference requests (and shadow copies) per deployment, model version and role.',
      labelNames,
      registers,
    });
    this.rows = new Counter({
      name: 'gyre_inference_rows_total',
      help: 'Rows predicted per deployment, model version and role.',
      labelNames,
      registers,
    });
    this.errors = new Counter({
      name: 'gyre_inference_errors_total',
      help: 'Failed inference requests per deployment and error code.',
      labelNames: ['deployment', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'gyre_inference_duration_seconds',
      help: 'From a request arriving to its prediction, per deployment, model version and role.',
      labelNames,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.value = new Histogram({
      name: 'gyre_prediction_value',
      help: 'Predicted values (the first output of each row), per deployment, model version and role.',
      labelNames,
      buckets: predictionBuckets,
      registers,
    });
  }

  onPrediction(record: PredictionRecord): void {
    const route = record.route;
    let c = this.children.get(route);
    if (c === undefined) {
      const labels = {
        deployment: record.deployment,
        model_version: route.version,
        role: route.role,
      };
      c = {
        requests: this.requests.labels(labels),
        rows: this.rows.labels(labels),
        latency: this.latency.labels(labels),
        value: this.value.labels(labels),
      };
      this.children.set(route, c);
    }
    const n = record.batch.numRows;
    c.requests.inc();
    c.rows.inc(n);
    c.latency.observe(record.latencyMs / 1000);
    const width = route.signature.numOutputs;
    const p = record.predictions;
    for (let r = 0; r < n; r++) {
      const v = p[r * width];
      if (v === v) c.value.observe(v);
    }
  }

  onError(deployment: string, code: string): void {
    this.errors.inc({ deployment, code });
  }

  onRouteRetired(deployment: string, route: ServedRoute): void {
    const labels = { deployment, model_version: route.version, role: route.role };
    for (const metric of [this.requests, this.rows, this.latency, this.value])
      metric.remove(labels);
  }
}
