import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { TreeEnsemble } from './tree-ensemble.js';

/** Index of the leaf a row reaches in the tree rooted at `root`. */
function findLeaf(
  e: TreeEnsemble,
  root: number,
  row: ArrayLike<number>,
  offset: number,
  round: boolean,
): number {
  if (!e.hasCategorical && !round) return findLeafNumeric(e, root, row, offset);
  const { feature, threshold, left, right, defaultLeft, catStart } = e;
  let node = root;
  for (;;) {
    const f = feature[node];
    if (f < 0) return node;
    let x = row[offset + f];
    if (round) x = Math.fround(x);
    if (x !== x) {
      node = defaultLeft[node] === 1 ? left[node] : right[node];
    } else if (catStart[node] < 0) {
      node = x < threshold[node] ? left[node] : right[node];
    } else {
      node = categoricalChild(e, node, x);
    }
  }
}

/** The common case — numeric splits only — with siblings adjacent: one child lookup. */
function findLeafNumeric(
  e: TreeEnsemble,
  root: number,
  row: ArrayLike<number>,
  offset: number,
): number {
  const { feature, threshold, left, defaultLeft } = e;
  let node = root;
  let f = feature[node];
  while (f >= 0) {
    const x = row[offset + f];
    node = left[node] + (x < threshold[node] ? 0 : x === x ? 1 : 1 - defaultLeft[node]);
    f = feature[node];
  }
  return node;
}

/**
 * The child a category code goes to: codes in the node's set go right, others left.
 * XGBoost's rules, checked against XGBoost 1.7's own predictions: a fractional code is
 * truncated, and a negative code or one beyond the node's bitset counts as "not in the
 * set" (left); only NaN follows the default direction.
 */
function categoricalChild(e: TreeEnsemble, node: number, x: number): number {
  if (x < 0 || x >= e.catWords[node] * 32) return e.left[node];
  const code = x >>> 0;
  const inSet = (e.catBits[e.catStart[node] + (code >>> 5)] & (1 << (code & 31))) !== 0;
  return inSet ? e.right[node] : e.left[node];
}

/**
 * Writes the raw margins of one row into `out[outOffset .. + numOutputs)`. Allocates
 * nothing, so the serving hot path can call it per request with a reused buffer.
 */
export function predictMarginRow(
  e: TreeEnsemble,
  row: ArrayLike<number>,
  rowOffset: number,
  out: Float64Array,
  outOffset = 0,
): void {
  const k = e.numOutputs;
  for (let j = 0; j < k; j++) out[outOffset + j] = e.baseMarginArray[j];
  // Float32Array inputs are already float32; only other arrays need rounding.
  const round = e.float32Inputs && !(row instanceof Float32Array);
  const { treeRoot, treeOutput, value } = e;
  for (let t = 0; t < treeRoot.length; t++) {
    out[outOffset + treeOutput[t]] += value[findLeaf(e, treeRoot[t], row, rowOffset, round)];
  }
}

/** Applies the ensemble's output transform in place to one row's margins. */
export function transformRow(e: TreeEnsemble, out: Float64Array, offset = 0): void {
  const k = e.numOutputs;
  switch (e.transform) {
    case 'identity':
      return;
    case 'sigmoid':
      for (let j = 0; j < k; j++) out[offset + j] = 1 / (1 + Math.exp(-out[offset + j]));
      return;
    case 'exp':
      for (let j = 0; j < k; j++) out[offset + j] = Math.exp(out[offset + j]);
      return;
    case 'step':
      for (let j = 0; j < k; j++) out[offset + j] = out[offset + j] > 0 ? 1 : 0;
      return;
    case 'softmax': {
      let max = -Infinity;
      for (let j = 0; j < k; j++) max = Math.max(max, out[offset + j]);
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const v = Math.exp(out[offset + j] - max);
        out[offset + j] = v;
        sum += v;
      }
      for (let j = 0; j < k; j++) out[offset + j] /= sum;
      return;
    }
  }
}

/** Predicts one row (transformed) into `out`, allocation-free. */
export function predictRowInto(
  e: TreeEnsemble,
  row: ArrayLike<number>,
  rowOffset: number,
  out: Float64Array,
  outOffset = 0,
): void {
  predictMarginRow(e, row, rowOffset, out, outOffset);
  transformRow(e, out, outOffset);
}

function checkWidth(e: TreeEnsemble, matrix: DenseMatrix): void {
  if (matrix.numCols !== e.numFeatures) {
    throw new InvalidArgumentError(
      `input has ${matrix.numCols} features, the model expects ${e.numFeatures}`,
    );
  }
}

/**
 * Batch prediction: returns `numRows * numOutputs` values, row-major. Loops tree-outer so a
 * tree's nodes stay in cache while every row walks it.
 */
export function predictBatch(e: TreeEnsemble, matrix: DenseMatrix, margin = false): Float64Array {
  checkWidth(e, matrix);
  const { numRows } = matrix;
  const k = e.numOutputs;
  const out = new Float64Array(numRows * k);
  for (let r = 0; r < numRows; r++) {
    for (let j = 0; j < k; j++) out[r * k + j] = e.baseMarginArray[j];
  }
  for (let t = 0; t < e.treeRoot.length; t++) {
    addTreeMargins(e, t, matrix, out);
  }
  if (!margin && e.transform !== 'identity') {
    for (let r = 0; r < numRows; r++) transformRow(e, out, r * k);
  }
  return out;
}

/** Adds tree `t`'s leaf values to `out` (row-major, numOutputs per row). */
export function addTreeMargins(
  e: TreeEnsemble,
  t: number,
  matrix: DenseMatrix,
  out: Float64Array,
): void {
  const { numRows, numCols, values } = matrix;
  const k = e.numOutputs;
  const root = e.treeRoot[t];
  const o = e.treeOutput[t];
  for (let r = 0; r < numRows; r++) {
    out[r * k + o] += e.value[findLeaf(e, root, values, r * numCols, false)];
  }
}
