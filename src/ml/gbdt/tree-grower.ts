import { InternalError, InvalidArgumentError } from '../../core/index.js';
import type { TreeSpec } from '../trees/tree-ensemble.js';
import type { SplitParams } from './split-finder.js';
import { leafWeight } from './split-finder.js';
import type { TaskRunner } from './task-runner.js';
import { partitionNodes } from './partition-jobs.js';
import { COMMAND, JOB, NODE, SPLIT } from './training-layout.js';
import type { SessionViews } from './training-session.js';

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
  slot: number;
  /** The best split, a copy of a SPLIT record (gain 0 = none). */
  split: Float64Array;
}

/** A grown tree plus, for each leaf, the range of `rows` that reached it. */
export interface GrownTree {
  tree: TreeSpec;
  leafNodes: number[];
  leafBegin: number[];
  leafEnd: number[];
}

/** Histogram slots one tree can hold at once: the widest frontier that can still split. */
export function histogramSlots(p: GrowParams): number {
  const byDepth = p.maxDepth > 0 ? 2 ** Math.max(0, p.maxDepth - 1) : Infinity;
  const byLeaves = p.maxLeaves > 0 ? p.maxLeaves : Infinity;
  return Math.max(1, Math.min(byDepth, byLeaves)) + 1;
}

/** Node capacity of one tree. */
export function maxTreeNodes(p: GrowParams): number {
  const byDepth = p.maxDepth > 0 ? 2 ** (p.maxDepth + 1) - 1 : Infinity;
  const byLeaves = p.maxLeaves > 0 ? 2 * p.maxLeaves - 1 : Infinity;
  const nodes = Math.min(byDepth, byLeaves);
  if (!Number.isFinite(nodes) || nodes > 1 << 22) {
    throw new InvalidArgumentError('maxDepth / maxLeaves allow trees too large to train', {
      maxDepth: p.maxDepth,
      maxLeaves: p.maxLeaves,
    });
  }
  return nodes;
}

/**
 * Grows one tree on histograms, in batches the task runner spreads over threads:
 * depth-wise growth takes a whole level per batch (XGBoost's default); loss-guided growth
 * takes the leaf with the largest gain until `maxLeaves` (LightGBM's). Per batch: partition
 * the split nodes' rows (stable, in one shared index buffer, so each node owns a contiguous
 * range), build the smaller child's histogram and get the larger by subtraction from the
 * parent, then find both children's best splits — all as shared-memory tasks.
 */
export class TreeGrower {
  private readonly freeSlots: number[] = [];

  constructor(
    private readonly s: SessionViews,
    private readonly runner: TaskRunner,
    private readonly numBlocks: number,
    private readonly p: GrowParams,
  ) {}

  grow(output: number, G: number, H: number): GrownTree {
    const p = this.p;
    const s = this.s;
    this.freeSlots.length = 0;
    for (let i = s.spec.histSlots - 1; i >= 0; i--) this.freeSlots.push(i);
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
      const id = tree.feature.length;
      const v = leafWeight(g, h, p) * p.learningRate;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.defaultLeft.push(false);
      tree.value.push(v);
      tree.gain!.push(0);
      tree.cover!.push(h);
      tree.categories!.push(null);
      const at = id * NODE.STRIDE;
      s.nodes[at + NODE.FEATURE] = -1;
      s.nodes[at + NODE.VALUE] = v;
      return id;
    };
    const makeLeaf = (c: Candidate): void => {
      if (c.slot >= 0) this.freeSlots.push(c.slot);
      grown.leafNodes.push(c.node);
      grown.leafBegin.push(c.begin);
      grown.leafEnd.push(c.end);
    };
    const canSplit = (depth: number, leaves: number): boolean =>
      (p.maxDepth <= 0 || depth < p.maxDepth) && (p.maxLeaves <= 0 || leaves < p.maxLeaves);

    const root = this.candidate(addNode(G, H), 0, s.spec.numRows, 0, G, H);
    let frontier: Candidate[] = [];
    if (canSplit(0, 1)) {
      root.slot = this.takeSlot();
      this.writeHistogramJob(0, -1, root, null);
      this.runner.run(
        COMMAND.HISTOGRAMS,
        this.numBlocks,
        this.histogramWork(root.end - root.begin),
      );
      this.bestSplit(0, 0, root.split);
      frontier.push(root);
    } else {
      makeLeaf(root);
    }
    let leaves = 1;
    while (frontier.length > 0) {
      const batch = p.growPolicy === 'depthwise' ? frontier : [this.takeBest(frontier)];
      frontier = p.growPolicy === 'depthwise' ? [] : frontier;
      const splitting: Candidate[] = [];
      for (const c of batch) {
        if (c.split[SPLIT.GAIN] <= 0 || !canSplit(c.depth, leaves)) {
          makeLeaf(c);
          continue;
        }
        splitting.push(c);
        leaves++;
      }
      // Loss-guided growth moves on to the next-best leaf; depth-wise has emptied its level.
      if (splitting.length === 0) continue;
      const mids = partitionNodes(this.s, this.runner, splitting);
      const children: [Candidate, Candidate][] = [];
      let jobs = 0;
      let histogramWork = 0;
      let leavesSoFar = leaves - splitting.length;
      for (let i = 0; i < splitting.length; i++) {
        const c = splitting[i];
        const mid = mids[i];
        const sp = c.split;
        const lg = sp[SPLIT.LEFT_G];
        const lh = sp[SPLIT.LEFT_H];
        const left = this.candidate(addNode(lg, lh), c.begin, mid, c.depth + 1, lg, lh);
        const right = this.candidate(
          addNode(c.g - lg, c.h - lh),
          mid,
          c.end,
          c.depth + 1,
          c.g - lg,
          c.h - lh,
        );
        this.recordSplit(tree, c, left.node, right.node);
        leavesSoFar++;
        if (!canSplit(c.depth + 1, leavesSoFar)) {
          this.freeSlots.push(c.slot);
          makeLeaf(left);
          makeLeaf(right);
          continue;
        }
        const [small, large] = mid - c.begin <= c.end - mid ? [left, right] : [right, left];
        small.slot = this.takeSlot();
        large.slot = c.slot;
        this.writeHistogramJob(jobs, c.slot, small, large);
        histogramWork += this.histogramWork(small.end - small.begin);
        children.push([small, large]);
        jobs++;
      }
      if (jobs > 0) this.runner.run(COMMAND.HISTOGRAMS, jobs * this.numBlocks, histogramWork);
      for (let i = 0; i < children.length; i++) {
        const [small, large] = children[i];
        this.bestSplit(i, 0, small.split);
        this.bestSplit(i, 1, large.split);
        // Keep left-before-right order in the frontier, whichever child was small.
        if (small.node < large.node) frontier.push(small, large);
        else frontier.push(large, small);
      }
    }
    for (const c of frontier) makeLeaf(c);
    return grown;
  }

  private candidate(
    node: number,
    begin: number,
    end: number,
    depth: number,
    g: number,
    h: number,
  ): Candidate {
    return { node, begin, end, depth, g, h, slot: -1, split: new Float64Array(SPLIT.STRIDE) };
  }

  /** Work of one histogram job: its rows' bins, plus clearing, subtracting and scanning. */
  private histogramWork(rows: number): number {
    return rows * this.s.data.numFeatures + 3 * this.s.histSize;
  }

  private takeSlot(): number {
    const slot = this.freeSlots.pop();
    if (slot === undefined) throw new InternalError('GBDT histogram slots exhausted');
    return slot;
  }

  /** Loss-guided growth: the frontier node with the largest gain (the first among ties). */
  private takeBest(frontier: Candidate[]): Candidate {
    let best = 0;
    for (let i = 1; i < frontier.length; i++) {
      if (frontier[i].split[SPLIT.GAIN] > frontier[best].split[SPLIT.GAIN]) best = i;
    }
    return frontier.splice(best, 1)[0];
  }

  private writeHistogramJob(
    job: number,
    parentSlot: number,
    small: Candidate,
    large: Candidate | null,
  ): void {
    const j = this.s.jobs;
    const at = job * JOB.STRIDE;
    j[at + JOB.PARENT_SLOT] = parentSlot;
    j[at + JOB.SMALL_SLOT] = small.slot;
    j[at + JOB.BEGIN] = small.begin;
    j[at + JOB.END] = small.end;
    j[at + JOB.SMALL_G] = small.g;
    j[at + JOB.SMALL_H] = small.h;
    j[at + JOB.FIND_SMALL] = 1;
    j[at + JOB.LARGE_G] = large ? large.g : 0;
    j[at + JOB.LARGE_H] = large ? large.h : 0;
    j[at + JOB.FIND_LARGE] = large ? 1 : 0;
  }

  /** The best split over all blocks: the first block's best among equal gains. */
  private bestSplit(job: number, child: number, out: Float64Array): void {
    const splits = this.s.splits;
    out.fill(0);
    out[SPLIT.FEATURE] = -1;
    for (let b = 0; b < this.numBlocks; b++) {
      const at = ((2 * job + child) * this.numBlocks + b) * SPLIT.STRIDE;
      if (splits[at + SPLIT.GAIN] > out[SPLIT.GAIN]) {
        out.set(splits.subarray(at, at + SPLIT.STRIDE));
      }
    }
  }

  private recordSplit(tree: TreeSpec, c: Candidate, left: number, right: number): void {
    const sp = c.split;
    const n = c.node;
    const f = sp[SPLIT.FEATURE];
    tree.feature[n] = f;
    tree.left[n] = left;
    tree.right[n] = right;
    tree.defaultLeft[n] = sp[SPLIT.DEFAULT_LEFT] === 1;
    tree.gain![n] = sp[SPLIT.GAIN];
    const at = n * NODE.STRIDE;
    const nodes = this.s.nodes;
    nodes[at + NODE.FEATURE] = f;
    nodes[at + NODE.BIN] = sp[SPLIT.BIN];
    nodes[at + NODE.DEFAULT_LEFT] = sp[SPLIT.DEFAULT_LEFT];
    nodes[at + NODE.LEFT] = left;
    nodes[at + NODE.RIGHT] = right;
    nodes[at + NODE.CATEGORICAL] = sp[SPLIT.CATEGORICAL];
    if (sp[SPLIT.CATEGORICAL] === 1) {
      const cats: number[] = [];
      for (let b = 0; b < 256; b++) {
        if ((sp[SPLIT.CATS + (b >>> 5)] >>> (b & 31)) & 1) cats.push(b);
      }
      tree.categories![n] = cats;
      nodes.set(sp.subarray(SPLIT.CATS, SPLIT.CATS + SPLIT.CAT_WORDS), at + NODE.CATS);
    } else {
      tree.threshold[n] = this.s.spec.mapper.cuts[f][sp[SPLIT.BIN]];
    }
  }
}
