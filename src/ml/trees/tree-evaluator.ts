import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FlatForest } from './flat-forest.js';
import { expandRow, flatForest } from './flat-forest.js';
import { addFlatTreesToRow, addTreeToBlock } from './flat-walk.js';
import type { TreeEnsemble } from './tree-ensemble.js';
import { findLeaf } from './tree-walk.js';

/** Rows walked through each tree together: enough for the CPU to overlap their walks. */
const ROW_BLOCK = 64;

/**
 * Writes the raw margins of one row into `out[outOffset .. + numOutputs)`. Allocates
 * nothing, so the serving hot path can call it per request with a reused buffer. Trees
 * are walked eight at a time, so their walks overlap instead of waiting on each other's
 * memory loads.
 */
export function predictMarginRow(
  e: TreeEnsemble,
  row: ArrayLike<number>,
  rowOffset: number,
  out: Float64Array,
  outOffset = 0,
): void {
  const forest = flatForest(e);
  const k = e.numOutputs;
  for (let j = 0; j < k; j++) out[outOffset + j] = e.baseMarginArray[j];
  // Float32Array inputs are already float32; only other arrays need rounding.
  const round = e.float32Inputs && !(row instanceof Float32Array);
  expandRow(forest, row, rowOffset, round, forest.rowSlots, 0);
  addFlatTreesToRow(forest, forest.rowSlots, out, outOffset);
  const general = forest.generalTrees;
  for (let i = 0; i < general.length; i++) {
    const t = general[i];
    out[outOffset + e.treeOutput[t]] += e.value[findLeaf(e, e.treeRoot[t], row, rowOffset, round)];
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
 * Batch prediction: returns `numRows * numOutputs` values, row-major. Rows go in blocks of
 * 64 that every tree walks in turn, so a tree's nodes stay in cache (see flat-walk.ts).
 */
export function predictBatch(e: TreeEnsemble, matrix: DenseMatrix, margin = false): Float64Array {
  checkWidth(e, matrix);
  const { numRows, numCols, values } = matrix;
  const k = e.numOutputs;
  const out = new Float64Array(numRows * k);
  const forest = flatForest(e);
  const width = forest.width;
  const xs = new Float64Array(ROW_BLOCK * width);
  const round = e.float32Inputs && !(values instanceof Float32Array);
  for (let r0 = 0; r0 < numRows; r0 += ROW_BLOCK) {
    const m = Math.min(ROW_BLOCK, numRows - r0);
    for (let r = 0; r < m; r++) {
      expandRow(forest, values, (r0 + r) * numCols, round, xs, r * width);
      for (let j = 0; j < k; j++) out[(r0 + r) * k + j] = e.baseMarginArray[j];
    }
    addBlockMargins(e, forest, values, numCols, round, r0, m, xs, out);
  }
  if (!margin && e.transform !== 'identity') {
    for (let r = 0; r < numRows; r++) transformRow(e, out, r * k);
  }
  return out;
}

function addBlockMargins(
  e: TreeEnsemble,
  forest: FlatForest,
  values: ArrayLike<number>,
  numCols: number,
  round: boolean,
  r0: number,
  m: number,
  xs: Float64Array,
  out: Float64Array,
): void {
  const k = e.numOutputs;
  const flat = forest.flatTrees;
  for (let i = 0; i < flat.length; i++) addTreeToBlock(forest, flat[i], xs, m, out, r0, k);
  const general = forest.generalTrees;
  for (let i = 0; i < general.length; i++) {
    const t = general[i];
    const root = e.treeRoot[t];
    const o = e.treeOutput[t];
    for (let r = 0; r < m; r++) {
      out[(r0 + r) * k + o] += e.value[findLeaf(e, root, values, (r0 + r) * numCols, round)];
    }
  }
}
