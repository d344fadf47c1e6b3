import { logloss, multiLogloss } from '../metrics/classification-metrics.js';
import { mae, rmse } from '../metrics/regression-metrics.js';
import type { EnsembleHeader } from '../trees/tree-ensemble.js';
import type { GbdtObjective } from './objectives.js';

/** A lower-is-better metric on raw margins, used for the eval history and early stopping. */
export interface EvalMetric {
  name: string;
  compute(y: ArrayLike<number>, margin: Float64Array, header: EnsembleHeader): number;
}

function sigmoid(margin: Float64Array): Float64Array {
  return margin.map((m) => 1 / (1 + Math.exp(-m)));
}

function softmax(margin: Float64Array, k: number): Float64Array {
  const out = new Float64Array(margin.length);
  for (let i = 0; i < margin.length; i += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, margin[i + j]);
    let s = 0;
    for (let j = 0; j < k; j++) s += out[i + j] = Math.exp(margin[i + j] - max);
    for (let j = 0; j < k; j++) out[i + j] /= s;
  }
  return out;
}

export function evalMetricFor(objective: GbdtObjective, numClass: number): EvalMetric {
  switch (objective) {
    case 'squared_error':
    case 'huber':
      return { name: 'rmse', compute: (y, m) => rmse(y, m) };
    case 'absolute_error':
      return { name: 'mae', compute: (y, m) => mae(y, m) };
    case 'binary_logloss':
      return { name: 'logloss', compute: (y, m) => logloss(y, sigmoid(m)) };
    case 'multiclass_softmax':
      return {
        name: 'mlogloss',
        compute: (y, m) => multiLogloss(y, softmax(m, numClass), numClass),
      };
  }
}
