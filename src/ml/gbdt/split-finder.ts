import type { BinMapper } from './quantile-binner.js';

/** The regularisation settings that shape split gains and leaf weights. */
export interface SplitParams {
  lambda: number;
  alpha: number;
  gamma: number;
  minChildWeight: number;
  maxCatToOnehot: number;
}

/** The best split found for a node; `gain <= 0` means "make this node a leaf". */
export interface SplitInfo {
  gain: number;
  feature: number;
  /** Numeric splits: bins `0..bin` go left. */
  bin: number;
  defaultLeft: boolean;
  /** Categorical splits: `rightBins[b] === 1` sends bin b right. */
  rightBins: Uint8Array | null;
  leftG: number;
  leftH: number;
}

export function emptySplit(): SplitInfo {
  return {
    gain: 0,
    feature: -1,
    bin: -1,
    defaultLeft: false,
    rightBins: null,
    leftG: 0,
    leftH: 0,
  };
}

/** L1 soft-thresholding of a gradient sum, as in XGBoost's `ThresholdL1`. */
function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** Optimal leaf weight for gradient sum g and hessian sum h. */
export function leafWeight(g: number, h: number, p: SplitParams): number {
  return -thresholdL1(g, p.alpha) / (h + p.lambda);
}

/** Structure score of a node; a split's gain is the children's minus the parent's. */
function score(g: number, h: number, p: SplitParams): number {
  const t = thresholdL1(g, p.alpha);
  return (t * t) / (h + p.lambda);
}

/**
 * Scans histograms for the best split. Gains follow XGBoost (no ½ factor, `gamma` as the
 * minimum loss reduction) so that the same parameters grow the same-shaped trees. Missing
 * values are tried on both sides and the better side becomes the learned default.
 */
export class SplitFinder {
  private readonly order: Int32Array;
  private readonly ratio: Float64Array;

  constructor(
    private readonly mapper: BinMapper,
    private readonly p: SplitParams,
  ) {
    const maxBins = Math.max(1, ...mapper.numBins);
    this.order = new Int32Array(maxBins);
    this.ratio = new Float64Array(maxBins);
  }

  find(hist: Float64Array, G: number, H: number, features: Int32Array, out: SplitInfo): void {
    out.gain = 0;
    out.feature = -1;
    out.rightBins = null;
    const p = this.p;
    const parent = score(G, H, p);
    const minGain = Math.max(p.gamma, 1e-6);
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      const off = this.mapper.binOffset[f] << 1;
      const nb = this.mapper.numBins[f];
      const missG = hist[off + 2 * nb];
      const missH = hist[off + 2 * nb + 1];
      if (this.mapper.categorical[f]) {
        this.findCategorical(hist, off, nb, f, G, H, missG, missH, parent, minGain, out);
        continue;
      }
      let gl = 0;
      let hl = 0;
      for (let t = 0; t < nb - 1; t++) {
        const bh = hist[off + 2 * t + 1];
        // An empty bin repeats the previous candidate's partition (same gain, and ties keep
        // the first), so skipping it changes nothing; deep nodes leave most bins empty.
        if (bh === 0) continue;
        gl += hist[off + 2 * t];
        hl += bh;
        // Missing values go right.
        let hr = H - hl;
        if (hl >= p.minChildWeight && hr >= p.minChildWeight) {
          const gain = score(gl, hl, p) + score(G - gl, hr, p) - parent;
          if (gain > out.gain && gain > minGain) {
            this.take(out, gain, f, t, false, gl, hl);
          }
        }
        if (missH > 0) {
          // Missing values go left.
          const hl2 = hl + missH;
          hr = H - hl2;
          if (hl2 >= p.minChildWeight && hr >= p.minChildWeight) {
            const gl2 = gl + missG;
            const gain = score(gl2, hl2, p) + score(G - gl2, hr, p) - parent;
            if (gain > out.gain && gain > minGain) {
              this.take(out, gain, f, t, true, gl2, hl2);
            }
          }
        }
      }
    }
  }

  private take(
    out: SplitInfo,
    gain: number,
    f: number,
    bin: number,
    defaultLeft: boolean,
    gl: number,
    hl: number,
  ): void {
    out.gain = gain;
    out.feature = f;
    out.bin = bin;
    out.defaultLeft = defaultLeft;
    out.rightBins = null;
    out.leftG = gl;
    out.leftH = hl;
  }

  /**
   * Small cardinality: one category against the rest (what one-hot encoding would give).
   * Otherwise LightGBM's trick: sort categories by gradient/hessian ratio, and the best
   * split is a prefix of that order.
   */
  private findCategorical(
    hist: Float64Array,
    off: number,
    nb: number,
    f: number,
    G: number,
    H: number,
    missG: number,
    missH: number,
    parent: number,
    minGain: number,
    out: SplitInfo,
  ): void {
    const p = this.p;
    const used: number[] = [];
    for (let b = 0; b < nb; b++) if (hist[off + 2 * b + 1] > 0) used.push(b);
    if (used.length < 2) return;
    const oneHot = used.length <= p.maxCatToOnehot;
    if (!oneHot) {
      for (const b of used) this.ratio[b] = hist[off + 2 * b] / (hist[off + 2 * b + 1] + p.lambda);
      used.sort((a, b) => this.ratio[a] - this.ratio[b] || a - b);
    }
    let gr = 0;
    let hr = 0;
    const last = oneHot ? used.length : used.length - 1;
    for (let i = 0; i < last; i++) {
      const b = used[i];
      if (oneHot) {
        gr = hist[off + 2 * b];
        hr = hist[off + 2 * b + 1];
      } else {
        gr += hist[off + 2 * b];
        hr += hist[off + 2 * b + 1];
      }
      // The right side holds the chosen categories; missing goes to either side.
      for (const missLeft of [true, false]) {
        if (!missLeft && missH === 0) continue;
        const grr = missLeft ? gr : gr + missG;
        const hrr = missLeft ? hr : hr + missH;
        const hl = H - hrr;
        if (hl < p.minChildWeight || hrr < p.minChildWeight) continue;
        const gain = score(G - grr, hl, p) + score(grr, hrr, p) - parent;
        if (gain > out.gain && gain > minGain) {
          const rightBins = new Uint8Array(nb + 1);
          if (oneHot) rightBins[b] = 1;
          else for (let j = 0; j <= i; j++) rightBins[used[j]] = 1;
          this.take(out, gain, f, -1, missLeft, G - grr, hl);
          out.rightBins = rightBins;
        }
      }
    }
  }
}
