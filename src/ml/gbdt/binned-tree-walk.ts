import type { BinnedDataset } from './binned-dataset.js';
import { NODE } from './training-layout.js';

/**
 * Adds one tree's leaf values to the margins of rows `[begin, end)` of a binned dataset.
 * The tree is the records in `nodes` (see {@link NODE}). Walking bins instead of raw values
 * gives exactly the raw-value decisions (a numeric threshold is a cut, and bins came from
 * the same cuts), so a validation set binned once is scored as the final model scores it.
 */
export function addBinnedTreeMargins(
  data: BinnedDataset,
  nodes: Float64Array,
  begin: number,
  end: number,
  margin: Float64Array,
  numOutputs: number,
  output: number,
): void {
  const { blocks, blockOf, indexInBlock } = data;
  const numBins = data.mapper.numBins;
  for (let r = begin; r < end; r++) {
    let at = 0;
    let f = nodes[NODE.FEATURE];
    while (f >= 0) {
      const block = blocks[blockOf[f]];
      const bin = block.bins[r * block.width + indexInBlock[f]];
      let left: boolean;
      if (bin === numBins[f]) left = nodes[at + NODE.DEFAULT_LEFT] === 1;
      else if (nodes[at + NODE.CATEGORICAL] === 1) {
        // Bins past the missing bin are categories training never saw: never in the set.
        left = bin > numBins[f] || ((nodes[at + NODE.CATS + (bin >>> 5)] >>> (bin & 31)) & 1) === 0;
      } else left = bin <= nodes[at + NODE.BIN];
      at = (left ? nodes[at + NODE.LEFT] : nodes[at + NODE.RIGHT]) * NODE.STRIDE;
      f = nodes[at + NODE.FEATURE];
    }
    margin[r * numOutputs + output] += nodes[at + NODE.VALUE];
  }
}
