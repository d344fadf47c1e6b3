import { InvalidArgumentError } from '../../core/index.js';

export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new InvalidArgumentError(
      `labels (${a.length}) and predictions (${b.length}) differ in length`,
    );
  }
  if (a.length === 0) throw new InvalidArgumentError('metrics need at least one row');
}

/** Root mean squared error. */
export function rmse(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkSameLength(y, pred);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - pred[i]) ** 2;
  return Math.sqrt(s / y.length);
}

/** Mean absolute error. */
export function mae(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkSameLength(y, pred);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i] - pred[i]);
  return s / y.length;
}

/** Coefficient of determination: 1 - SSE / SST. */
export function r2(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkSameLength(y, pred);
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < y.length; i++) {
    sse += (y[i] - pred[i]) ** 2;
    sst += (y[i] - mean) ** 2;
  }
  return sst === 0 ? (sse === 0 ? 1 : 0) : 1 - sse / sst;
}

/** Mean absolute percentage error, as a fraction; rows with a zero label are skipped. */
export function mape(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  checkSameLength(y, pred);
  let s = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 0) continue;
    s += Math.abs((y[i] - pred[i]) / y[i]);
    n++;
  }
  return n === 0 ? 0 : s / n;
}
