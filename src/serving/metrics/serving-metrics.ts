import type { Registry } from 'prom-client';
import type { PredictionObserver, PredictionRecord } from '../model-server/prediction-observer.js';
import type { ServedRoute } from '../model-server/routing-table.js';
import {
  FastCounter,
  FastHistogram,
  type CounterChild,
  type HistogramChild,
} from './fast-metrics.js';

/** Default buckets for prediction values: probabilities and typical regression targets. */
export const DEFAULT_PREDICTION_BUCKETS = [
  0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1, 2, 5, 10, 100, 1e3, 1e4, 1e5, 1e6,
];

const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

interface RouteSeries {
  requests: CounterChild;
  rows: CounterChild;
  latency: HistogramChild;
  value: HistogramChild;
}

/**
 * Prometheus metrics per deployment and model version: requests (by role), predicted rows,
 * latency, prediction values, and errors by code. Label values are bounded: deployment names
 * and the versions they serve (a retired version's series are removed), and the error
 * catalog's codes. A route's series are looked up once, then updated by field increments.
 */
export class ServingMetrics implements PredictionObserver {
  private readonly requests: FastCounter;
  private readonly rows: FastCounter;
  private readonly errors: FastCounter;
  private readonly latency: FastHistogram;
  private readonly value: FastHistogram;
  private readonly series = new WeakMap<ServedRoute, RouteSeries>();

  constructor(registry: Registry, predictionBuckets: number[] = DEFAULT_PREDICTION_BUCKETS) {
    this.requests = new FastCounter(
      'gyre_inference_requests_total',
      'Answered inference requests (and shadow copies) per deployment, model version and role.',
      registry,
    );
    this.rows = new FastCounter(
      'gyre_inference_rows_total',
      'Rows predicted per deployment, model version and role.',
      registry,
    );
    this.errors = new FastCounter(
      'gyre_inference_errors_total',
      'Failed inference requests per deployment and error code.',
      registry,
    );
    this.latency = new FastHistogram(
      'gyre_inference_duration_seconds',
      'From a request arriving to its prediction, per deployment, model version and role.',
      LATENCY_BUCKETS,
      registry,
    );
    this.value = new FastHistogram(
      'gyre_prediction_value',
      'Predicted values (the first output of each row), per deployment, model version and role.',
      predictionBuckets,
      registry,
    );
  }

  onPrediction(record: PredictionRecord): void {
    const route = record.route;
    let s = this.series.get(route);
    if (s === undefined) {
      const labels = {
        deployment: record.deployment,
        model_version: route.version,
        role: route.role,
      };
      s = {
        requests: this.requests.child(labels),
        rows: this.rows.child(labels),
        latency: this.latency.child(labels),
        value: this.value.child(labels),
      };
      this.series.set(route, s);
    }
    const n = record.batch.numRows;
    s.requests.value++;
    s.rows.value += n;
    s.latency.observe(record.latencyMs / 1000);
    const width = route.signature.numOutputs;
    const p = record.predictions;
    for (let r = 0; r < n; r++) {
      const v = p[r * width];
      if (v === v) s.value.observe(v);
    }
  }

  onError(deployment: string, code: string): void {
    this.errors.child({ deployment, code }).value++;
  }

  onRouteRetired(deployment: string, route: ServedRoute): void {
    const labels = { deployment, model_version: route.version, role: route.role };
    for (const metric of [this.requests, this.rows, this.latency, this.value])
      metric.remove(labels);
  }
}
