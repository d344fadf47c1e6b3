// Realized performance: the metrics of predictions whose true labels came back, computed with
// ml's metrics (the same functions training evaluates with).
import { logloss, mae, precisionRecallF1, rmse, rocAuc, thresholdLabels } from '../../ml/index.js';
import type { RealizedPerformance } from '../monitors/monitor-types.js';

export interface LabelledPrediction {
  modelVersion: string;
  prediction: number;
  label: number;
}

/** RMSE and MAE for a regressor; AUC, precision, recall (at 0.5) and logloss for a classifier. */
export function realizedMetrics(
  task: 'regression' | 'classification',
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
): Record<string, number> {
  if (labels.length === 0) return {};
  if (task === 'regression')
    return { rmse: rmse(labels, predictions), mae: mae(labels, predictions) };
  const metrics: Record<string, number> = {};
  const auc = rocAuc(labels, predictions);
  if (Number.isFinite(auc)) metrics.auc = auc;
  const { precision, recall } = precisionRecallF1(labels, thresholdLabels(predictions, 0.5));
  metrics.precision = precision;
  metrics.recall = recall;
  metrics.logloss = logloss(labels, predictions);
  return metrics;
}

/** Metrics over every labelled prediction of a window, and per model version. */
export function realizedPerformance(
  task: 'regression' | 'classification',
  rows: LabelledPrediction[],
): RealizedPerformance {
  const byVersion = new Map<string, LabelledPrediction[]>();
  for (const r of rows) {
    let list = byVersion.get(r.modelVersion);
    if (!list) byVersion.set(r.modelVersion, (list = []));
    list.push(r);
  }
  const metricsOf = (list: LabelledPrediction[]) =>
    realizedMetrics(
      task,
      Float64Array.from(list, (r) => r.label),
      Float64Array.from(list, (r) => r.prediction),
    );
  return {
    labelledRows: rows.length,
    metrics: metricsOf(rows),
    byModelVersion: Object.fromEntries(
      [...byVersion].map(([v, list]) => [
        v,
        { labelledRows: list.length, metrics: metricsOf(list) },
      ]),
    ),
  };
}
