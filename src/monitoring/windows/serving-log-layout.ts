// The prediction log as serving writes it (serving/prediction-log): files under
// `prediction-logs/deployment=<name>/date=YYYY-MM-DD/hour=HH/`, time in `ts`, features as
// `feature_<input>`. Monitoring reads it through this one value.
import { FEATURE_PREFIX, LOG_COLUMNS } from '../../serving/index.js';
import { predictionLogLayout, type PredictionLogLayout } from './prediction-log-layout.js';

export const SERVING_LOG_LAYOUT: PredictionLogLayout = predictionLogLayout({
  prefix: 'prediction-logs',
  deploymentFolder: (deployment) => `deployment=${deployment}`,
  timeColumn: 'ts',
  predictionColumn: 'prediction',
  modelVersionColumn: 'model_version',
  requestIdColumn: 'request_id',
  featureColumn: (feature) => `${FEATURE_PREFIX}${feature}`,
  metaColumns: LOG_COLUMNS.map((c) => c.name),
});

/** The model input a log column holds, or undefined for bookkeeping and prediction columns. */
export function featureOfLogColumn(column: string): string | undefined {
  return column.startsWith(FEATURE_PREFIX) ? column.slice(FEATURE_PREFIX.length) : undefined;
}
