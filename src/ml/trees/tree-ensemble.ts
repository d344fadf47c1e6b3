import { InvalidArgumentError } from '../../core/index.js';

/**
 * How summed tree margins become predictions; `step` is XGBoost's `binary:hinge`
 * (1 when the margin is positive, else 0).
 */
export type OutputTransform = 'identity' | 'sigmoid' | 'softmax' | 'exp' | 'step';

/**
 * One tree in portable form, with node indices local to the tree. Node 0 is the root; a
 * leaf has `feature = -1`. A numeric node sends `x < threshold` left; a categorical node
 * (non-null `categories`) sends the listed categories right, as XGBoost does. Missing
 * values (NaN) follow `defaultLeft`.
 */
export interface TreeSpec {
  /** Which output (class) this tree adds to. */
  output: number;
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  defaultLeft: boolean[];
  /** Leaf values; for inner nodes the node weight, kept for explanations. */
  value: number[];
  /** Loss reduction of each split (0 for leaves), for gain importance. */
  gain?: number[];
  /** Sum of hessians reaching each node. */
  cover?: number[];
  /** Category codes sent right at categorical nodes; null for numeric nodes and leaves. */
  categories?: (number[] | null)[];
}

/** Everything the evaluator needs besides the trees. */
export interface EnsembleHeader {
  numFeatures: number;
  numOutputs: number;
  /** Margin every prediction starts from, one per output. */
  baseMargin: number[];
  transform: OutputTransform;
  /**
   * Round inputs to float32 before comparing. True for XGBoost and Gyre models, whose
   * thresholds are float32; false for LightGBM, which compares doubles.
   */
  float32Inputs: boolean;
}

/**
 * All trees flattened into parallel typed arrays with absolute node indices, so the hot
 * prediction loop touches a handful of contiguous buffers and allocates nothing. Siblings
 * are adjacent: `right[i] === left[i] + 1` for every inner node.
 */
export interface TreeEnsemble extends Readonly<EnsembleHeader> {
  readonly baseMarginArray: Float64Array;
  readonly treeRoot: Int32Array;
  readonly treeOutput: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly defaultLeft: Uint8Array;
  readonly value: Float64Array;
  readonly gain: Float64Array;
  readonly cover: Float64Array;
  /** Start of a categorical node's bitset in `catBits`, or -1 for numeric nodes. */
  readonly catStart: Int32Array;
  readonly catWords: Int32Array;
  readonly catBits: Uint32Array;
  /** False lets the evaluator skip category checks entirely. */
  readonly hasCategorical: boolean;
  readonly trees: readonly TreeSpec[];
}

/** Flattens trees into a {@link TreeEnsemble}, validating indices as it goes. */
export function buildTreeEnsemble(
  header: EnsembleHeader,
  trees: readonly TreeSpec[],
): TreeEnsemble {
  if (header.baseMargin.length !== header.numOutputs) {
    throw new InvalidArgumentError('baseMargin must have one entry per output');
  }
  let numNodes = 0;
  let numWords = 0;
  for (const tree of trees) {
    numNodes += tree.feature.length;
    for (const cats of tree.categories ?? []) {
      if (cats && cats.length > 0) numWords += (Math.max(...cats) >>> 5) + 1;
    }
  }
  const feature = new Int32Array(numNodes);
  const threshold = new Float64Array(numNodes);
  const left = new Int32Array(numNodes);
  const right = new Int32Array(numNodes);
  const defaultLeft = new Uint8Array(numNodes);
  const value = new Float64Array(numNodes);
  const gain = new Float64Array(numNodes);
  const cover = new Float64Array(numNodes);
  const catStart = new Int32Array(numNodes).fill(-1);
  const catWords = new Int32Array(numNodes);
  const catBits = new Uint32Array(numWords);
  const treeRoot = new Int32Array(trees.length);
  const treeOutput = new Int32Array(trees.length);
  let base = 0;
  let wordAt = 0;
  trees.forEach((tree, t) => {
    const n = tree.feature.length;
    if (n === 0) throw new InvalidArgumentError(`tree ${t} has no nodes`);
    if (tree.output < 0 || tree.output >= header.numOutputs) {
      throw new InvalidArgumentError(`tree ${t} writes to output ${tree.output}`);
    }
    treeRoot[t] = base;
    treeOutput[t] = tree.output;
    const order = siblingOrder(tree, t);
    for (let i = 0; i < n; i++) {
      const at = base + order[i];
      const f = tree.feature[i];
      feature[at] = f;
      value[at] = tree.value[i];
      gain[at] = tree.gain?.[i] ?? 0;
      cover[at] = tree.cover?.[i] ?? 0;
      if (f < 0) continue;
      if (f >= header.numFeatures) {
        throw new InvalidArgumentError(`tree ${t} node ${i} uses feature ${f}`, {
          numFeatures: header.numFeatures,
        });
      }
      left[at] = base + order[tree.left[i]];
      right[at] = base + order[tree.right[i]];
      threshold[at] = tree.threshold[i];
      defaultLeft[at] = tree.defaultLeft[i] ? 1 : 0;
      const cats = tree.categories?.[i];
      if (cats) {
        const words = cats.length > 0 ? (Math.max(...cats) >>> 5) + 1 : 0;
        catStart[at] = wordAt;
        catWords[at] = words;
        for (const c of cats) {
          if (!Number.isInteger(c) || c < 0) {
            throw new InvalidArgumentError(`tree ${t} node ${i} has category ${c}`);
          }
          catBits[wordAt + (c >>> 5)] |= 1 << (c & 31);
        }
        wordAt += words;
      }
    }
    base += n;
  });
  return {
    ...header,
    baseMarginArray: Float64Array.from(header.baseMargin),
    treeRoot,
    treeOutput,
    feature,
    threshold,
    left,
    right,
    defaultLeft,
    value,
    gain,
    cover,
    catStart,
    catWords,
    catBits,
    hasCategorical: numWords > 0 || catStart.some((c) => c >= 0),
    trees,
  };
}

/**
 * New positions for a tree's nodes, breadth-first with siblings side by side, so the
 * evaluator finds the right child at `left + 1` without a second lookup. Validates the
 * structure on the way: children after parents, each node reached once, no cycles.
 */
function siblingOrder(tree: TreeSpec, t: number): Int32Array {
  const n = tree.feature.length;
  const order = new Int32Array(n).fill(-1);
  order[0] = 0;
  let next = 1;
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q];
    if (tree.feature[i] < 0) continue;
    const l = tree.left[i];
    const r = tree.right[i];
    if (!(l > i && l < n && r > i && r < n && l !== r) || order[l] >= 0 || order[r] >= 0) {
      // Children after parents rules out cycles, so a hostile file cannot hang the server.
      throw new InvalidArgumentError(`tree ${t} node ${i} has invalid children ${l}, ${r}`);
    }
    order[l] = next++;
    order[r] = next++;
    queue.push(l, r);
  }
  // Nodes nobody points to are kept (at the end) so gain/cover stay complete.
  for (let i = 0; i < n; i++) if (order[i] < 0) order[i] = next++;
  return order;
}
