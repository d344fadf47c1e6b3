import type { BinnedMatrix } from './quantile-binner.js';

/**
 * Gradient/hessian histograms: for each feature bin, the interleaved sums (g, h) of the rows
 * of a node. Building them is the hot loop of training: it walks the node's rows once over the
 * row-major bins and touches only the features in use.
 */
export class HistogramBuilder {
  private readonly pool: Float64Array[] = [];
  readonly size: number;

  /** Row-major absolute bin indices (feature offset already added), when they fit 16 bits. */
  private readonly absBins: Uint16Array | null;

  constructor(private readonly data: BinnedMatrix) {
    this.size = 2 * data.mapper.binOffset[data.numCols];
    const { rowBins, numCols, numRows } = data;
    const { binOffset } = data.mapper;
    if (binOffset[numCols] <= 0xffff) {
      const abs = new Uint16Array(numRows * numCols);
      for (let i = 0; i < abs.length; i++) abs[i] = binOffset[i % numCols] + rowBins[i];
      this.absBins = abs;
    } else {
      this.absBins = null;
    }
  }

  /** A zeroed-or-stale histogram buffer from the pool; `build` overwrites what it uses. */
  acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.size);
  }

  release(hist: Float64Array): void {
    this.pool.push(hist);
  }

  build(
    hist: Float64Array,
    rows: Uint32Array,
    begin: number,
    end: number,
    gh: Float64Array,
    features: Int32Array,
  ): void {
    const { rowBins, numCols } = this.data;
    const { binOffset } = this.data.mapper;
    const nf = features.length;
    for (let k = 0; k < nf; k++) {
      const f = features[k];
      hist.fill(0, binOffset[f] << 1, binOffset[f + 1] << 1);
    }
    const abs = this.absBins;
    if (abs !== null && nf === numCols) {
      // All features in use: one contiguous run of precomputed indices per row.
      for (let i = begin; i < end; i++) {
        const r = rows[i];
        const g = gh[2 * r];
        const h = gh[2 * r + 1];
        const base = r * numCols;
        const stop = base + numCols;
        for (let j = base; j < stop; j++) {
          const b = abs[j] << 1;
          hist[b] += g;
          hist[b + 1] += h;
        }
      }
      return;
    }
    for (let i = begin; i < end; i++) {
      const r = rows[i];
      const g = gh[2 * r];
      const h = gh[2 * r + 1];
      const base = r * numCols;
      for (let k = 0; k < nf; k++) {
        const f = features[k];
        const b = (binOffset[f] + rowBins[base + f]) << 1;
        hist[b] += g;
        hist[b + 1] += h;
      }
    }
  }

  /** parent -= child over the features in use, turning the parent into the sibling. */
  subtract(parent: Float64Array, child: Float64Array, features: Int32Array): void {
    const { binOffset } = this.data.mapper;
    for (let k = 0; k < features.length; k++) {
      const f = features[k];
      const end = binOffset[f + 1] << 1;
      for (let i = binOffset[f] << 1; i < end; i++) parent[i] -= child[i];
    }
  }
}
