import { checkSameLength } from './regression-metrics.js';

/** Indices sorted by descending score, ties kept together. */
function byScoreDesc(score: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(score.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => score[b] - score[a]);
}

/** Area under the ROC curve; tied scores count half, as in scikit-learn. */
export function rocAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  checkSameLength(y, score);
  const idx = byScoreDesc(score);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) pos++;
    else neg++;
  }
  if (pos === 0 || neg === 0) return NaN;
  let area = 0;
  let tp = 0;
  for (let i = 0; i < idx.length;) {
    let dtp = 0;
    let dfp = 0;
    const s = score[idx[i]];
    for (; i < idx.length && score[idx[i]] === s; i++) {
      if (y[idx[i]] === 1) dtp++;
      else dfp++;
    }
    // Each negative in this tie group ranks below every earlier positive and ties half.
    area += dfp * (tp + dtp / 2);
    tp += dtp;
  }
  return area / (pos * neg);
}

/** Area under the precision-recall curve as average precision (scikit-learn's definition). */
export function prAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  checkSameLength(y, score);
  const idx = byScoreDesc(score);
  let pos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) pos++;
  if (pos === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < idx.length;) {
    let dtp = 0;
    const s = score[idx[i]];
    for (; i < idx.length && score[idx[i]] === s; i++, seen++) if (y[idx[i]] === 1) dtp++;
    tp += dtp;
    ap += (dtp / pos) * (tp / seen);
  }
  return ap;
}

/** One reliability-diagram bin: mean predicted probability vs observed positive rate. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

/** Calibration in equal-width probability bins; empty bins are omitted. */
export function calibrationBins(
  y: ArrayLike<number>,
  prob: ArrayLike<number>,
  numBins = 10,
): CalibrationBin[] {
  checkSameLength(y, prob);
  const count = new Float64Array(numBins);
  const sumP = new Float64Array(numBins);
  const sumY = new Float64Array(numBins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(numBins - 1, Math.max(0, Math.floor(prob[i] * numBins)));
    count[b]++;
    sumP[b] += prob[i];
    sumY[b] += y[i];
  }
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < numBins; b++) {
    if (count[b] === 0) continue;
    bins.push({
      lower: b / numBins,
      upper: (b + 1) / numBins,
      count: count[b],
      meanPredicted: sumP[b] / count[b],
      fractionPositive: sumY[b] / count[b],
    });
  }
  return bins;
}
