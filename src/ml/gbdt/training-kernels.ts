import { addBinnedTreeMargins } from './binned-tree-walk.js';
import { computeGradients } from './gradients.js';
import { buildBlockHistogram, subtractBlockHistogram } from './histogram.js';
import { placeChunk, stageChunk } from './partition.js';
import { SplitFinder } from './split-finder.js';
import type { Command } from './training-layout.js';
import { COMMAND, CONTROL, JOB, ROW_CHUNK, SPLIT } from './training-layout.js';
import type { SessionViews } from './training-session.js';

/**
 * The work of one training thread: each command is split into numbered tasks, and any
 * thread may run any task. Tasks write disjoint parts of the shared buffers and never
 * depend on which thread ran them, so training is bit-identical for every thread count.
 */
export class TrainingKernels {
  private readonly finder: SplitFinder;
  private readonly offsets: Int32Array;
  private readonly toLeft = new Uint8Array(256);

  constructor(private readonly s: SessionViews) {
    this.finder = new SplitFinder(s.spec.mapper, s.spec.split);
    const widest = Math.max(1, ...s.spec.blockWidths);
    this.offsets = new Int32Array(2 * widest);
  }

  get numBlocks(): number {
    return this.s.data.blocks.length;
  }

  run(command: Command, task: number): void {
    switch (command) {
      case COMMAND.GRADIENTS:
        return this.gradients(task);
      case COMMAND.PARTITION:
        return this.partition(task);
      case COMMAND.PLACE:
        return this.place(task);
      case COMMAND.HISTOGRAMS:
        return this.histograms(task);
      case COMMAND.LEAF_UPDATE:
        return this.leafUpdate(task);
      case COMMAND.VALID_UPDATE:
        return this.validUpdate(task);
      case COMMAND.END_SESSION:
        return;
    }
  }

  /** Gradients of one row chunk, plus the chunk's (g, h) sums per output for root sums. */
  private gradients(task: number): void {
    const s = this.s;
    const n = s.spec.numRows;
    const k = s.spec.numOutputs;
    const begin = task * ROW_CHUNK;
    const end = Math.min(n, begin + ROW_CHUNK);
    const round = s.control[CONTROL.ROUND];
    computeGradients(s.spec.gradient, round, s.labels, s.weights, s.margin, s.gh, n, begin, end);
    // Every tree starts from all rows in order (unsampled rows have zero gradients).
    resetRows(s.rows, begin, end);
    for (let j = 0; j < k; j++)
      sumPairs(s.gh, 2 * j * n, begin, end, s.chunkSums, 2 * (task * k + j));
  }

  private partition(task: number): void {
    const s = this.s;
    const at = task * JOB.STRIDE;
    const j = s.jobs;
    j[at + JOB.LEFT_COUNT] = stageChunk(
      s.data,
      s.rows,
      s.scratch,
      j[at + JOB.BEGIN],
      j[at + JOB.END],
      j,
      at + JOB.SPLIT_AT,
      this.toLeft,
    );
  }

  private place(task: number): void {
    const s = this.s;
    const at = task * JOB.STRIDE;
    const j = s.jobs;
    placeChunk(
      s.rows,
      s.scratch,
      j[at + JOB.BEGIN],
      j[at + JOB.END],
      j[at + JOB.LEFT_COUNT],
      j[at + JOB.LEFT_AT],
      j[at + JOB.RIGHT_AT],
    );
  }

  /**
   * One (job, block) pair: the small child's histogram over the block's features, the
   * large child's by subtraction from the parent's slot, then each child's best split
   * among the block's features, written to `splits[(2 * job + child) * numBlocks + block]`.
   */
  private histograms(task: number): void {
    const s = this.s;
    const numBlocks = this.numBlocks;
    const job = Math.floor(task / numBlocks);
    const b = task % numBlocks;
    const at = job * JOB.STRIDE;
    const j = s.jobs;
    const block = s.data.blocks[b];
    const { binOffset } = s.spec.mapper;
    const ghBase = 2 * s.control[CONTROL.OUTPUT] * s.spec.numRows;
    const smallBase = j[at + JOB.SMALL_SLOT] * s.histSize;
    const parentSlot = j[at + JOB.PARENT_SLOT];
    buildBlockHistogram(
      s.hist,
      smallBase,
      block,
      binOffset,
      s.featureMask,
      s.rows,
      j[at + JOB.BEGIN],
      j[at + JOB.END],
      s.gh,
      ghBase,
      this.offsets,
    );
    const largeBase = parentSlot * s.histSize;
    if (parentSlot >= 0) {
      subtractBlockHistogram(s.hist, largeBase, smallBase, block, binOffset, s.featureMask);
    }
    const record = (child: number): number => ((2 * job + child) * numBlocks + b) * SPLIT.STRIDE;
    if (j[at + JOB.FIND_SMALL] === 1) {
      const G = j[at + JOB.SMALL_G];
      const H = j[at + JOB.SMALL_H];
      this.finder.find(
        s.hist,
        smallBase,
        G,
        H,
        block.first,
        block.width,
        s.featureMask,
        s.splits,
        record(0),
      );
    }
    if (parentSlot >= 0 && j[at + JOB.FIND_LARGE] === 1) {
      const G = j[at + JOB.LARGE_G];
      const H = j[at + JOB.LARGE_H];
      this.finder.find(
        s.hist,
        largeBase,
        G,
        H,
        block.first,
        block.width,
        s.featureMask,
        s.splits,
        record(1),
      );
    }
  }

  private leafUpdate(task: number): void {
    const s = this.s;
    const at = task * JOB.STRIDE;
    const k = s.spec.numOutputs;
    const o = s.control[CONTROL.OUTPUT];
    const v = s.jobs[at + JOB.VALUE];
    const { rows, margin } = s;
    const end = s.jobs[at + JOB.END];
    for (let i = s.jobs[at + JOB.BEGIN]; i < end; i++) margin[rows[i] * k + o] += v;
  }

  private validUpdate(task: number): void {
    const s = this.s;
    if (!s.valid || !s.validMargin) return;
    const begin = task * ROW_CHUNK;
    const end = Math.min(s.valid.numRows, begin + ROW_CHUNK);
    const k = s.spec.numOutputs;
    addBinnedTreeMargins(s.valid, s.nodes, begin, end, s.validMargin, k, s.control[CONTROL.OUTPUT]);
  }
}

function resetRows(rows: Int32Array, begin: number, end: number): void {
  for (let i = begin; i < end; i++) rows[i] = i;
}

/** Sums the (g, h) pairs of rows `[begin, end)` into `out[at]`, `out[at + 1]`. */
function sumPairs(
  gh: Float32Array,
  base: number,
  begin: number,
  end: number,
  out: Float64Array,
  at: number,
): void {
  let g = 0;
  let h = 0;
  for (let i = begin; i < end; i++) {
    g += gh[base + 2 * i];
    h += gh[base + 2 * i + 1];
  }
  out[at] = g;
  out[at + 1] = h;
}
