import type { FeatureBlock } from './binned-dataset.js';
import { blockKernel } from './histogram-kernels.js';

/**
 * Gradient/hessian histograms: for each feature bin, the interleaved sums (g, h) of a node's
 * rows, at `2 * (binOffset[f] + bin)`. Building them is the hot loop of training.
 */

/**
 * Sums rows `rows[begin, end)` into `hist` for the features of one block that are in use
 * (`used[k]` for the block's k-th feature). Each row's bins for the block share one cache
 * line, and each feature's sums are added in row order, so the result is the same whichever
 * thread builds which block.
 */
export function buildBlockHistogram(
  hist: Float64Array,
  histBase: number,
  block: FeatureBlock,
  binOffset: Int32Array,
  used: Uint8Array,
  rows: Int32Array,
  begin: number,
  end: number,
  gh: Float32Array,
  ghBase: number,
  offsets: Int32Array,
): number {
  const { first, width, bins } = block;
  // offsets[k]: where feature k's histogram starts, for the features in use.
  let m = 0;
  for (let k = 0; k < width; k++) {
    if (used[first + k] === 0) continue;
    const start = histBase + 2 * binOffset[first + k];
    hist.fill(0, start, histBase + 2 * binOffset[first + k + 1]);
    offsets[m] = start;
    offsets[width + m] = k;
    m++;
  }
  if (m === 0) return 0;
  if (m === width) {
    blockKernel(width)(rows, begin, end, bins, gh, ghBase, hist, offsets);
  } else {
    for (let i = begin; i < end; i++) {
      const r = rows[i];
      const g = gh[ghBase + 2 * r];
      const h = gh[ghBase + 2 * r + 1];
      const base = r * width;
      for (let j = 0; j < m; j++) {
        const b = offsets[j] + 2 * bins[base + offsets[width + j]];
        hist[b] += g;
        hist[b + 1] += h;
      }
    }
  }
  return m;
}

/** `parent -= child` over one block's features in use, turning the parent into the sibling. */
export function subtractBlockHistogram(
  hist: Float64Array,
  parentBase: number,
  childBase: number,
  block: FeatureBlock,
  binOffset: Int32Array,
  used: Uint8Array,
): void {
  for (let k = 0; k < block.width; k++) {
    const f = block.first + k;
    if (used[f] === 0) continue;
    const from = 2 * binOffset[f];
    const to = 2 * binOffset[f + 1];
    for (let i = from; i < to; i++) hist[parentBase + i] -= hist[childBase + i];
  }
}
