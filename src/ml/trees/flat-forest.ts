import type { TreeEnsemble } from './tree-ensemble.js';

/**
 * An ensemble compiled for branch-free prediction. Every node is one step
 * `node = next[node] + (slot value >= threshold)`: `next` is the left child (siblings are
 * adjacent, so the right child is `next + 1`), and the slot chooses how a missing value
 * compares. Each input feature f is expanded into two slots per row — `2f` with NaN as
 * −∞ (default left: −∞ is below every threshold) and `2f + 1` with NaN as +∞ (default right)
 * — so missing values need no test in the loop. Leaves point at themselves with threshold
 * +∞ over a constant −∞ slot, so a row that reached a leaf stays there and every tree can
 * be walked a fixed number of levels. The comparison is turned into a number rather than
 * a branch: tree decisions are close to coin flips for the CPU's branch predictor.
 */
export interface FlatForest {
  readonly numFeatures: number;
  /** Slots per expanded row: two per feature plus the constant −∞ slot. */
  readonly width: number;
  readonly slot: Int32Array;
  readonly threshold: Float64Array;
  readonly next: Int32Array;
  readonly value: Float64Array;
  readonly treeRoot: Int32Array;
  readonly treeOutput: Int32Array;
  /** Levels to walk per tree (its depth); -1 marks trees the general evaluator walks. */
  readonly treeDepth: Int32Array;
  /** The trees the flat walk handles, and those the general evaluator walks. */
  readonly flatTrees: Int32Array;
  readonly generalTrees: Int32Array;
  /** Reused by single-row prediction, which therefore allocates nothing. */
  readonly rowSlots: Float64Array;
  readonly rowNodes: Int32Array;
}

const cache = new WeakMap<TreeEnsemble, FlatForest>();

/** The compiled form of an ensemble, built once and cached with it. */
export function flatForest(e: TreeEnsemble): FlatForest {
  let forest = cache.get(e);
  if (!forest) {
    forest = compile(e);
    cache.set(e, forest);
  }
  return forest;
}

function compile(e: TreeEnsemble): FlatForest {
  const numNodes = e.feature.length;
  const numTrees = e.treeRoot.length;
  const constSlot = 2 * e.numFeatures;
  const slot = new Int32Array(numNodes);
  const threshold = new Float64Array(numNodes);
  const next = new Int32Array(numNodes);
  for (let i = 0; i < numNodes; i++) {
    const f = e.feature[i];
    if (f < 0) {
      slot[i] = constSlot;
      threshold[i] = Infinity;
      next[i] = i;
    } else {
      slot[i] = 2 * f + (e.defaultLeft[i] === 1 ? 0 : 1);
      threshold[i] = e.threshold[i];
      next[i] = e.left[i];
    }
  }
  const treeDepth = new Int32Array(numTrees);
  const flat: number[] = [];
  const general: number[] = [];
  for (let t = 0; t < numTrees; t++) {
    treeDepth[t] = depthOrGeneral(e, t);
    (treeDepth[t] < 0 ? general : flat).push(t);
  }
  return {
    numFeatures: e.numFeatures,
    width: constSlot + 1,
    slot,
    threshold,
    next,
    value: e.value,
    treeRoot: e.treeRoot,
    treeOutput: e.treeOutput,
    treeDepth,
    flatTrees: Int32Array.from(flat),
    generalTrees: Int32Array.from(general),
    rowSlots: new Float64Array(constSlot + 1),
    rowNodes: new Int32Array(numTrees),
  };
}

/**
 * A tree's depth, or -1 when the slot trick cannot express it: categorical splits, and
 * thresholds that are −∞ or NaN (where "NaN as −∞" would no longer go left).
 */
function depthOrGeneral(e: TreeEnsemble, t: number): number {
  const stack = [e.treeRoot[t], 0];
  let depth = 0;
  while (stack.length > 0) {
    const d = stack.pop()!;
    const node = stack.pop()!;
    if (e.feature[node] < 0) {
      depth = Math.max(depth, d);
      continue;
    }
    const thr = e.threshold[node];
    if (e.catStart[node] >= 0 || thr === -Infinity || thr !== thr) return -1;
    stack.push(e.left[node], d + 1, e.right[node], d + 1);
  }
  return depth;
}

/**
 * Writes row r's expanded slots into `out` at `at`: each value twice (NaN as −∞ and as +∞),
 * rounded to float32 first when the model compares in float32, then the constant −∞.
 */
export function expandRow(
  forest: FlatForest,
  values: ArrayLike<number>,
  offset: number,
  round: boolean,
  out: Float64Array,
  at: number,
): void {
  const d = forest.numFeatures;
  for (let f = 0; f < d; f++) {
    let v = values[offset + f];
    if (round) v = Math.fround(v);
    if (v !== v) {
      out[at + 2 * f] = -Infinity;
      out[at + 2 * f + 1] = Infinity;
    } else {
      out[at + 2 * f] = v;
      out[at + 2 * f + 1] = v;
    }
  }
  out[at + 2 * d] = -Infinity;
}
