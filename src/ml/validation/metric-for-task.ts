import { accuracy, logloss, thresholdLabels } from '../metrics/classification-metrics.js';
import { prAuc, rocAuc } from '../metrics/ranking-metrics.js';
import { mae, r2, rmse } from '../metrics/regression-metrics.js';
import type { ValidationMetric } from './validation-types.js';

const METRICS: Record<string, ValidationMetric> = {
  rmse: { name: 'rmse', higherIsBetter: false, compute: rmse },
  mae: { name: 'mae', higherIsBetter: false, compute: mae },
  r2: { name: 'r2', higherIsBetter: true, compute: r2 },
  auc: { name: 'auc', higherIsBetter: true, compute: rocAuc },
  pr_auc: { name: 'pr_auc', higherIsBetter: true, compute: prAuc },
  logloss: { name: 'logloss', higherIsBetter: false, compute: logloss },
  accuracy: {
    name: 'accuracy',
    higherIsBetter: true,
    compute: (y, p) => accuracy(y, thresholdLabels(p)),
  },
};

/** Metric names a validation suite can use. */
export const VALIDATION_METRICS = Object.keys(METRICS);

/** The named metric, or undefined for an unknown name. */
export function validationMetric(name: string): ValidationMetric | undefined {
  return METRICS[name];
}
