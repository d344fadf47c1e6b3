import type { TreeSpec } from '../trees/tree-ensemble.js';
import { HistogramBuilder } from './histogram.js';
import type { BinnedMatrix } from './quantile-binner.js';
import type { SplitInfo, SplitParams } from './split-finder.js';
import { SplitFinder, emptySplit, leafWeight } from './split-finder.js';

/** Tree-shape settings on top of the split regularisation. */
export interface GrowParams extends SplitParams {
  maxDepth: number;
  maxLeaves: number;
  growPolicy: 'depthwise' | 'lossguide';
  learningRate: number;
}

interface Candidate {
  node: number;
  begin: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitInfo;
}

/** A grown tree plus, for each leaf, the range of `rows` that reached it. */
export interface GrownTree {
  tree: TreeSpec;
  leafNodes: number[];
  leafBegin: number[];
  leafEnd: number[];
}

/**
 * Grows one tree on histograms. Depth-wise growth expands every splittable node level by
 * level (XGBoost's default); loss-guided growth always expands the leaf with the largest
 * gain until `maxLeaves` (LightGBM's). Rows live in one index buffer that is partitioned in
 * place, so each node owns a contiguous range and nothing is allocated per node except
 * pooled histograms. Only the smaller child's histogram is built; the larger one is the
 * parent's minus it.
 */
export class TreeGrower {
  private readonly hist: HistogramBuilder;
  private readonly finder: SplitFinder;
  private readonly scratch: Uint32Array;
  private readonly gh: Float64Array;
  private readonly toLeft = new Uint8Array(256);

  constructor(
    private readonly data: BinnedMatrix,
    private readonly p: GrowParams,
  ) {
    this.hist = new HistogramBuilder(data);
    this.finder = new SplitFinder(data.mapper, p);
    this.scratch = new Uint32Array(data.numRows);
    this.gh = new Float64Array(2 * data.numRows);
  }

  grow(
    rows: Uint32Array,
    numRows: number,
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
    output: number,
  ): GrownTree {
    const p = this.p;
    const tree: TreeSpec = {
      output,
      feature: [],
      threshold: [],
      left: [],
      right: [],
      defaultLeft: [],
      value: [],
      gain: [],
      cover: [],
      categories: [],
    };
    const grown: GrownTree = { tree, leafNodes: [], leafBegin: [], leafEnd: [] };
    const addNode = (g: number, h: number): number => {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.defaultLeft.push(false);
      tree.value.push(leafWeight(g, h, p) * p.learningRate);
      tree.gain!.push(0);
      tree.cover!.push(h);
      tree.categories!.push(null);
      return tree.feature.length - 1;
    };
    const makeLeaf = (c: Candidate): void => {
      if (c.hist) this.hist.release(c.hist);
      grown.leafNodes.push(c.node);
      grown.leafBegin.push(c.begin);
      grown.leafEnd.push(c.end);
    };
    const canSplit = (depth: number, leaves: number): boolean =>
      (p.maxDepth <= 0 || depth < p.maxDepth) && (p.maxLeaves <= 0 || leaves < p.maxLeaves);

    // Interleave gradient pairs so a row's (g, h) is one cache line away, not two.
    const gh = this.gh;
    let G = 0;
    let H = 0;
    for (let i = 0; i < numRows; i++) {
      const r = rows[i];
      const g = grad[r];
      const h = hess[r];
      gh[2 * r] = g;
      gh[2 * r + 1] = h;
      G += g;
      H += h;
    }
    const root: Candidate = {
      node: addNode(G, H),
      begin: 0,
      end: numRows,
      depth: 0,
      g: G,
      h: H,
      hist: null,
      split: emptySplit(),
    };
    const queue: Candidate[] = [];
    if (canSplit(0, 1)) {
      root.hist = this.hist.acquire();
      this.hist.build(root.hist, rows, 0, numRows, gh, features);
      this.finder.find(root.hist, G, H, features, root.split);
      queue.push(root);
    } else {
      makeLeaf(root);
    }
    let leaves = 1;
    while (queue.length > 0) {
      const c = this.next(queue);
      if (c.split.gain <= 0 || !canSplit(c.depth, leaves)) {
        makeLeaf(c);
        continue;
      }
      const s = c.split;
      const mid = this.partition(rows, c.begin, c.end, s);
      const lg = s.leftG;
      const lh = s.leftH;
      const leftNode = addNode(lg, lh);
      const rightNode = addNode(c.g - lg, c.h - lh);
      const n = c.node;
      tree.feature[n] = s.feature;
      tree.left[n] = leftNode;
      tree.right[n] = rightNode;
      tree.defaultLeft[n] = s.defaultLeft;
      tree.gain![n] = s.gain;
      if (s.rightBins) {
        const cats: number[] = [];
        for (let b = 0; b < s.rightBins.length - 1; b++) if (s.rightBins[b]) cats.push(b);
        tree.categories![n] = cats;
      } else {
        tree.threshold[n] = this.data.mapper.cuts[s.feature][s.bin];
      }
      leaves++;
      const depth = c.depth + 1;
      const children: Candidate[] = [
        {
          node: leftNode,
          begin: c.begin,
          end: mid,
          depth,
          g: lg,
          h: lh,
          hist: null,
          split: emptySplit(),
        },
        {
          node: rightNode,
          begin: mid,
          end: c.end,
          depth,
          g: c.g - lg,
          h: c.h - lh,
          hist: null,
          split: emptySplit(),
        },
      ];
      if (!canSplit(depth, leaves)) {
        this.hist.release(c.hist!);
        for (const child of children) makeLeaf(child);
        continue;
      }
      const [small, large] = mid - c.begin <= c.end - mid ? children : [children[1], children[0]];
      small.hist = this.hist.acquire();
      this.hist.build(small.hist, rows, small.begin, small.end, gh, features);
      this.hist.subtract(c.hist!, small.hist, features);
      large.hist = c.hist;
      for (const child of children) {
        this.finder.find(child.hist!, child.g, child.h, features, child.split);
        queue.push(child);
      }
    }
    return grown;
  }

  private next(queue: Candidate[]): Candidate {
    if (this.p.growPolicy === 'depthwise') return queue.shift()!;
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      if (queue[i].split.gain > queue[best].split.gain) best = i;
    }
    return queue.splice(best, 1)[0];
  }

  /** Stable in-place partition of rows[begin, end); returns the first right index. */
  private partition(rows: Uint32Array, begin: number, end: number, s: SplitInfo): number {
    const { bins, numRows, mapper } = this.data;
    const col = bins.subarray(s.feature * numRows, (s.feature + 1) * numRows);
    const missing = mapper.numBins[s.feature];
    const right = this.scratch;
    const t = s.bin;
    const rb = s.rightBins;
    const missingLeft = s.defaultLeft;
    let l = begin;
    let r = 0;
    if (rb === null) {
      // Numeric split: a per-bin lookup table and unconditional writes keep the loop free
      // of the 50/50 branch that would mispredict on every other row.
      const toLeft = this.toLeft;
      for (let b = 0; b < missing; b++) toLeft[b] = b <= t ? 1 : 0;
      toLeft[missing] = missingLeft ? 1 : 0;
      for (let i = begin; i < end; i++) {
        const row = rows[i];
        const go = toLeft[col[row]];
        rows[l] = row;
        right[r] = row;
        l += go;
        r += 1 - go;
      }
    } else {
      for (let i = begin; i < end; i++) {
        const row = rows[i];
        const b = col[row];
        const goLeft = b === missing ? missingLeft : rb[b] === 0;
        if (goLeft) rows[l++] = row;
        else right[r++] = row;
      }
    }
    rows.set(right.subarray(0, r), l);
    return l;
  }
}
