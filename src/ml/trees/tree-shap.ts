import { FailedPreconditionError, InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { TreeEnsemble } from './tree-ensemble.js';
import { childFor } from './tree-walk.js';

/**
 * Exact SHAP values for tree ensembles: Lundberg, Erion & Lee's polynomial-time TreeSHAP
 * ("Consistent individualized feature attribution for tree ensembles", Algorithm 2), the
 * algorithm behind XGBoost's `pred_contribs=True`. Node covers (hessian sums) weigh the
 * branches a feature's absence would take. Per row and output there are `numFeatures + 1`
 * values: one per feature and, last, the bias (base margin plus each tree's expected
 * value); they sum to the row's margin.
 */

interface ShapTables {
  /** Cover-weighted mean leaf value below each node (the tree's expected value at the root). */
  meanValue: Float64Array;
  /** One path segment per recursion level, each long enough for the deepest path. */
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
  maxDepth: number;
}

const cache = new WeakMap<TreeEnsemble, ShapTables>();

function tables(e: TreeEnsemble): ShapTables {
  let t = cache.get(e);
  if (t) return t;
  const meanValue = new Float64Array(e.feature.length);
  let maxDepth = 0;
  for (let tree = 0; tree < e.treeRoot.length; tree++) {
    maxDepth = Math.max(maxDepth, fillMeanValues(e, e.treeRoot[tree], meanValue, 0));
  }
  const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
  t = {
    meanValue,
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
    maxDepth,
  };
  cache.set(e, t);
  return t;
}

/** Fills mean values below `node`; returns the depth of the subtree. */
function fillMeanValues(e: TreeEnsemble, node: number, mean: Float64Array, depth: number): number {
  if (e.feature[node] < 0) {
    mean[node] = e.value[node];
    return depth;
  }
  const l = e.left[node];
  const r = e.right[node];
  const dl = fillMeanValues(e, l, mean, depth + 1);
  const dr = fillMeanValues(e, r, mean, depth + 1);
  const cover = e.cover[node];
  if (!(cover > 0)) {
    throw new FailedPreconditionError(
      'SHAP values need node covers (hessian sums), which this model does not carry',
    );
  }
  mean[node] = (mean[l] * e.cover[l] + mean[r] * e.cover[r]) / cover;
  return Math.max(dl, dr);
}

/** The path state of one recursion level: elements `[at, at + depth]`. */
class ShapWalk {
  constructor(
    private readonly e: TreeEnsemble,
    private readonly t: ShapTables,
    private readonly row: ArrayLike<number>,
    private readonly offset: number,
    private readonly round: boolean,
    private readonly phi: Float64Array,
    private readonly phiAt: number,
  ) {}

  private extend(at: number, depth: number, zero: number, one: number, feature: number): void {
    const { feature: fs, zero: zs, one: os, weight: w } = this.t;
    fs[at + depth] = feature;
    zs[at + depth] = zero;
    os[at + depth] = one;
    w[at + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      w[at + i + 1] += (one * w[at + i] * (i + 1)) / (depth + 1);
      w[at + i] = (zero * w[at + i] * (depth - i)) / (depth + 1);
    }
  }

  private unwind(at: number, depth: number, index: number): void {
    const { feature: fs, zero: zs, one: os, weight: w } = this.t;
    const one = os[at + index];
    const zero = zs[at + index];
    let nextOne = w[at + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = w[at + i];
        w[at + i] = (nextOne * (depth + 1)) / ((i + 1) * one);
        nextOne = tmp - (w[at + i] * zero * (depth - i)) / (depth + 1);
      } else {
        w[at + i] = (w[at + i] * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      fs[at + i] = fs[at + i + 1];
      zs[at + i] = zs[at + i + 1];
      os[at + i] = os[at + i + 1];
    }
  }

  private unwoundSum(at: number, depth: number, index: number): number {
    const { zero: zs, one: os, weight: w } = this.t;
    const one = os[at + index];
    const zero = zs[at + index];
    let nextOne = w[at + depth];
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (nextOne * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        nextOne = w[at + i] - (tmp * zero * (depth - i)) / (depth + 1);
      } else {
        total += w[at + i] / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }

  /**
   * Visits `node` with the parent's path at `parentAt` (length `depth`); the new element
   * (parent's split feature and its fractions) is appended in this level's own segment.
   */
  recurse(
    node: number,
    parentAt: number,
    depth: number,
    zero: number,
    one: number,
    feature: number,
  ): void {
    const e = this.e;
    const t = this.t;
    const at = parentAt + depth + 1;
    t.feature.copyWithin(at, parentAt, parentAt + depth + 1);
    t.zero.copyWithin(at, parentAt, parentAt + depth + 1);
    t.one.copyWithin(at, parentAt, parentAt + depth + 1);
    t.weight.copyWithin(at, parentAt, parentAt + depth + 1);
    this.extend(at, depth, zero, one, feature);
    const f = e.feature[node];
    if (f < 0) {
      const v = e.value[node];
      for (let i = 1; i <= depth; i++) {
        const w = this.unwoundSum(at, depth, i);
        this.phi[this.phiAt + t.feature[at + i]] += w * (t.one[at + i] - t.zero[at + i]) * v;
      }
      return;
    }
    const x = this.row[this.offset + f];
    const hot = childFor(e, node, this.round ? Math.fround(x) : x);
    const cold = hot === e.left[node] ? e.right[node] : e.left[node];
    const cover = e.cover[node];
    let inZero = 1;
    let inOne = 1;
    let d = depth;
    let index = 0;
    while (index <= d && t.feature[at + index] !== f) index++;
    if (index <= d) {
      inZero = t.zero[at + index];
      inOne = t.one[at + index];
      this.unwind(at, d, index);
      d -= 1;
    }
    this.recurse(hot, at, d + 1, (e.cover[hot] / cover) * inZero, inOne, f);
    this.recurse(cold, at, d + 1, (e.cover[cold] / cover) * inZero, 0, f);
  }
}

/**
 * Adds one row's SHAP values for every output into `out` at `outAt`
 * (`numOutputs * (numFeatures + 1)` values, output-major).
 */
export function shapRowInto(
  e: TreeEnsemble,
  row: ArrayLike<number>,
  rowOffset: number,
  out: Float64Array,
  outAt = 0,
): void {
  const t = tables(e);
  const width = e.numFeatures + 1;
  const k = e.numOutputs;
  out.fill(0, outAt, outAt + k * width);
  for (let j = 0; j < k; j++) out[outAt + j * width + e.numFeatures] = e.baseMarginArray[j];
  const round = e.float32Inputs && !(row instanceof Float32Array);
  for (let tree = 0; tree < e.treeRoot.length; tree++) {
    const root = e.treeRoot[tree];
    const phiAt = outAt + e.treeOutput[tree] * width;
    out[phiAt + e.numFeatures] += t.meanValue[root];
    // The root's path element is a dummy (feature -1) that the leaf loop skips.
    new ShapWalk(e, t, row, rowOffset, round, out, phiAt).recurse(root, 0, 0, 1, 1, -1);
  }
}

/**
 * SHAP values of a batch: `numRows * numOutputs * (numFeatures + 1)` values, for row r and
 * output j starting at `(r * numOutputs + j) * (numFeatures + 1)` (XGBoost's layout).
 */
export function shapValues(e: TreeEnsemble, x: DenseMatrix): Float64Array {
  if (x.numCols !== e.numFeatures) {
    throw new InvalidArgumentError(
      `input has ${x.numCols} features, the model expects ${e.numFeatures}`,
    );
  }
  const per = e.numOutputs * (e.numFeatures + 1);
  const out = new Float64Array(x.numRows * per);
  for (let r = 0; r < x.numRows; r++) shapRowInto(e, x.values, r * x.numCols, out, r * per);
  return out;
}
