import type { TreeEnsemble } from './tree-ensemble.js';

/**
 * The child one value sends a split node to: the general rule every tree model follows,
 * numeric and categorical. Numeric nodes send `x < threshold` left and NaN to the default
 * side. Categorical nodes send codes in the node's set right, others left, following
 * XGBoost's rules (checked against XGBoost 1.7's own predictions): a fractional code is
 * truncated, a negative code or one beyond the node's bitset is "not in the set", and
 * only NaN follows the default direction.
 */
export function childFor(e: TreeEnsemble, node: number, x: number): number {
  if (x !== x) return e.defaultLeft[node] === 1 ? e.left[node] : e.right[node];
  if (e.catStart[node] < 0) return x < e.threshold[node] ? e.left[node] : e.right[node];
  if (x < 0 || x >= e.catWords[node] * 32) return e.left[node];
  const code = x >>> 0;
  const inSet = (e.catBits[e.catStart[node] + (code >>> 5)] & (1 << (code & 31))) !== 0;
  return inSet ? e.right[node] : e.left[node];
}

/** Index of the leaf a row reaches in the tree rooted at `root`. */
export function findLeaf(
  e: TreeEnsemble,
  root: number,
  row: ArrayLike<number>,
  offset: number,
  round: boolean,
): number {
  const feature = e.feature;
  let node = root;
  for (;;) {
    const f = feature[node];
    if (f < 0) return node;
    const x = row[offset + f];
    node = childFor(e, node, round ? Math.fround(x) : x);
  }
}
