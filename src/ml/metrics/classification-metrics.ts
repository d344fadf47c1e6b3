import { InvalidArgumentError } from '../../core/index.js';
import { checkSameLength } from './regression-metrics.js';

const EPS = 1e-15;

/** Binary log loss from probabilities of the positive class. */
export function logloss(y: ArrayLike<number>, prob: ArrayLike<number>): number {
  checkSameLength(y, prob);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(Math.max(prob[i], EPS), 1 - EPS);
    s -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / y.length;
}

/** Multiclass log loss from row-major probabilities (`numClass` per row). */
export function multiLogloss(
  y: ArrayLike<number>,
  prob: ArrayLike<number>,
  numClass: number,
): number {
  if (prob.length !== y.length * numClass) {
    throw new InvalidArgumentError('probabilities must hold numClass values per label');
  }
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    s -= Math.log(Math.min(Math.max(prob[i * numClass + y[i]], EPS), 1 - EPS));
  }
  return s / y.length;
}

/** Fraction of labels equal to the predicted labels. */
export function accuracy(y: ArrayLike<number>, predLabel: ArrayLike<number>): number {
  checkSameLength(y, predLabel);
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === predLabel[i]) ok++;
  return ok / y.length;
}

/** Index of the largest value in each row of a row-major probability matrix. */
export function argmaxRows(prob: ArrayLike<number>, numClass: number): Int32Array {
  const n = prob.length / numClass;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < numClass; j++)
      if (prob[i * numClass + j] > prob[i * numClass + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** Labels from positive-class probabilities at a threshold. */
export function thresholdLabels(prob: ArrayLike<number>, threshold = 0.5): Int32Array {
  const out = new Int32Array(prob.length);
  for (let i = 0; i < prob.length; i++) out[i] = prob[i] >= threshold ? 1 : 0;
  return out;
}

/** Confusion matrix: `matrix[actual][predicted]` counts. */
export function confusionMatrix(
  y: ArrayLike<number>,
  predLabel: ArrayLike<number>,
  numClass: number,
): number[][] {
  checkSameLength(y, predLabel);
  const m = Array.from({ length: numClass }, () => new Array<number>(numClass).fill(0));
  for (let i = 0; i < y.length; i++) {
    const a = y[i];
    const p = predLabel[i];
    if (!(a >= 0 && a < numClass && p >= 0 && p < numClass)) {
      throw new InvalidArgumentError(`label outside [0, ${numClass}) at row ${i}`);
    }
    m[a][p]++;
  }
  return m;
}

/** Precision, recall and F1 of one class, or averaged over classes. */
export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1Of = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Precision/recall/F1. `binary` scores class 1; `macro` averages per-class scores; `micro`
 * pools counts over classes (equal to accuracy for single-label data).
 */
export function precisionRecallF1(
  y: ArrayLike<number>,
  predLabel: ArrayLike<number>,
  numClass = 2,
  average: 'binary' | 'macro' | 'micro' = 'binary',
): PrecisionRecallF1 {
  const m = confusionMatrix(y, predLabel, numClass);
  const tp = (c: number): number => m[c][c];
  const colSum = (c: number): number => m.reduce((s, row) => s + row[c], 0);
  const rowSum = (c: number): number => m[c].reduce((s, v) => s + v, 0);
  if (average === 'binary') {
    const precision = ratio(tp(1), colSum(1));
    const recall = ratio(tp(1), rowSum(1));
    return { precision, recall, f1: f1Of(precision, recall) };
  }
  if (average === 'micro') {
    let t = 0;
    for (let c = 0; c < numClass; c++) t += tp(c);
    const p = ratio(t, y.length);
    return { precision: p, recall: p, f1: p };
  }
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (let c = 0; c < numClass; c++) {
    const pc = ratio(tp(c), colSum(c));
    const rc = ratio(tp(c), rowSum(c));
    precision += pc;
    recall += rc;
    f1 += f1Of(pc, rc);
  }
  return { precision: precision / numClass, recall: recall / numClass, f1: f1 / numClass };
}
