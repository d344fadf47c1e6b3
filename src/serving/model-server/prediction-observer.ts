import type { FeatureBatch } from '../runtimes/model-runtime.js';
import type { ServedRoute } from './routing-table.js';

/** What one answered (or shadowed) prediction was: handed to the log and the metrics. */
export interface PredictionRecord {
  deployment: string;
  route: ServedRoute;
  requestId: string;
  routingKey: string | undefined;
  batch: FeatureBatch;
  /** numRows × numOutputs, row-major. */
  predictions: Float64Array;
  /** Milliseconds from the request's arrival to the prediction. */
  latencyMs: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

/**
 * Sees every prediction a server makes. Called on the hot path: implementations take what
 * they need (a reference, a counter) and do their real work later, off it.
 */
export interface PredictionObserver {
  onPrediction(record: PredictionRecord): void;
  /** A request to `deployment` failed with an error code (INVALID_ARGUMENT, NOT_FOUND, ...). */
  onError(deployment: string, code: string): void;
  /** A route stopped serving: drop anything labelled with it (keeps metric cardinality bounded). */
  onRouteRetired?(deployment: string, route: ServedRoute): void;
}

/** Several observers as one (the metrics and the prediction log). */
export function combineObservers(...observers: PredictionObserver[]): PredictionObserver {
  return {
    onPrediction(record) {
      for (const o of observers) o.onPrediction(record);
    },
    onError(deployment, code) {
      for (const o of observers) o.onError(deployment, code);
    },
    onRouteRetired(deployment, route) {
      for (const o of observers) o.onRouteRetired?.(deployment, route);
    },
  };
}
