import {
  GbdtModel,
  LinearModel,
  accuracy,
  argmaxRows,
  calibrationBins,
  logloss,
  mae,
  multiLogloss,
  prAuc,
  r2,
  rmse,
  rocAuc,
  thresholdLabels,
  type ServableModel,
} from '../../../ml/index.js';
import type { Task } from './featurize.js';

/** What evaluating a model on a dataset yields: metrics and the data behind the usual plots. */
export interface Evaluation {
  task: Task;
  rows: number;
  metrics: Record<string, number>;
  /** The metric gates compare on by default, and whether higher is better. */
  primary: { name: string; higherIsBetter: boolean };
  plots: Record<string, unknown>;
}

/** Metrics where a larger value is better; every other metric is an error to minimise. */
export const HIGHER_IS_BETTER = new Set(['r2', 'auc', 'pr_auc', 'accuracy']);

/** The task a trained model was made for, from its outputs and link. */
export function taskOfModel(model: ServableModel): Task {
  if (model.numOutputs > 1) return 'multiclass';
  const p = model.predictor;
  if (p instanceof LinearModel) return p.kind === 'logistic' ? 'binary' : 'regression';
  return p instanceof GbdtModel && p.ensemble.transform === 'sigmoid' ? 'binary' : 'regression';
}

/** At most `n` evenly spaced indices of `length` (plots need a sample, not every row). */
function sampleIndices(length: number, n: number): number[] {
  const step = Math.max(1, length / n);
  const out: number[] = [];
  for (let i = 0; i < length && out.length < n; i += step) out.push(Math.floor(i));
  return out;
}

/** ROC and precision-recall curves, thinned to about 200 points each. */
function curves(y: ArrayLike<number>, score: ArrayLike<number>) {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  const neg = y.length - pos;
  const roc: { fpr: number; tpr: number; threshold: number }[] = [{ fpr: 0, tpr: 0, threshold: 1 }];
  const pr: { recall: number; precision: number; threshold: number }[] = [];
  let tp = 0;
  let fp = 0;
  const every = Math.max(1, Math.floor(y.length / 200));
  order.forEach((i, k) => {
    if (y[i] === 1) tp++;
    else fp++;
    const last = k === order.length - 1;
    if (!last && (k % every !== 0 || score[order[k + 1]] === score[i])) return;
    roc.push({ fpr: neg ? fp / neg : 0, tpr: pos ? tp / pos : 0, threshold: score[i] });
    pr.push({ recall: pos ? tp / pos : 0, precision: tp / (tp + fp), threshold: score[i] });
  });
  return { roc, pr };
}

function featureImportance(
  model: ServableModel,
): { feature: string; gain: number; splits?: number }[] {
  const p = model.predictor;
  if (p instanceof GbdtModel) {
    const imp = p.featureImportance();
    return p.features
      .map((f, i) => ({ feature: f.name, gain: imp.gain[i], splits: imp.split[i] }))
      .sort((a, b) => b.gain - a.gain);
  }
  if (p instanceof LinearModel)
    return p.features
      .map((f, i) => ({ feature: f.name, gain: Math.abs(p.weights[i]) }))
      .sort((a, b) => b.gain - a.gain);
  return [];
}

/** Scores predictions against labels for the task, with plot data for the run's artifacts. */
export function evaluatePredictions(
  model: ServableModel,
  task: Task,
  y: Float64Array,
  pred: Float64Array,
): Evaluation {
  const plots: Record<string, unknown> = { feature_importance: featureImportance(model) };
  let metrics: Record<string, number>;
  let primary: Evaluation['primary'];
  if (task === 'regression') {
    metrics = { rmse: rmse(y, pred), mae: mae(y, pred), r2: r2(y, pred) };
    primary = { name: 'rmse', higherIsBetter: false };
    plots.residuals = sampleIndices(y.length, 2000).map((i) => ({
      actual: y[i],
      predicted: pred[i],
      residual: y[i] - pred[i],
    }));
  } else if (task === 'binary') {
    metrics = {
      auc: rocAuc(y, pred),
      pr_auc: prAuc(y, pred),
      logloss: logloss(y, pred),
      accuracy: accuracy(y, thresholdLabels(pred)),
    };
    primary = { name: 'auc', higherIsBetter: true };
    Object.assign(plots, curves(y, pred), { calibration: calibrationBins(y, pred, 10) });
  } else {
    const k = model.numOutputs;
    metrics = { accuracy: accuracy(y, argmaxRows(pred, k)), logloss: multiLogloss(y, pred, k) };
    primary = { name: 'accuracy', higherIsBetter: true };
  }
  return { task, rows: y.length, metrics, primary, plots };
}
