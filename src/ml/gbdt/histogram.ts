import type { BinnedMatrix } from './quantile-binner.js';

/**
 * Gradient/hessian histograms: for each feature bin, the interleaved sums (g, h) of the rows
 * of a node. Building them is the hot loop of training, so it works on gathered (ordered)
 * gradients and touches only the features in use.
 */
export class HistogramBuilder {
  private readonly gOrd: Float64Array;
  private readonly hOrd: Float64Array;
  private readonly pool: Float64Array[] = [];
  readonly size: number;

  constructor(private readonly data: BinnedMatrix) {
    this.gOrd = new Float64Array(data.numRows);
    this.hOrd = new Float64Array(data.numRows);
    this.size = 2 * data.mapper.binOffset[data.numCols];
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
    grad: Float64Array,
    hess: Float64Array,
    features: Int32Array,
  ): void {
    const { bins, numRows } = this.data;
    const { binOffset } = this.data.mapper;
    const gOrd = this.gOrd;
    const hOrd = this.hOrd;
    const m = end - begin;
    for (let i = 0; i < m; i++) {
      const r = rows[begin + i];
      gOrd[i] = grad[r];
      hOrd[i] = hess[r];
    }
    for (let k = 0; k < features.length; k++) {
      const f = features[k];
      const off = binOffset[f] << 1;
      hist.fill(0, off, binOffset[f + 1] << 1);
      const col = bins.subarray(f * numRows, (f + 1) * numRows);
      for (let i = 0; i < m; i++) {
        const b = off + (col[rows[begin + i]] << 1);
        hist[b] += gOrd[i];
        hist[b + 1] += hOrd[i];
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
