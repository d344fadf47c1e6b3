import type { BinMapper } from './quantile-binner.js';
import { SPLIT } from './training-layout.js';

/** The regularisation settings that shape split gains and leaf weights. */
export interface SplitParams {
  lambda: number;
  alpha: number;
  gamma: number;
  minChildWeight: number;
  maxCatToOnehot: number;
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

/** Clears a split record to "no split" (gain 0). */
export function clearSplit(out: Float64Array, at: number): void {
  out.fill(0, at, at + SPLIT.STRIDE);
  out[at + SPLIT.FEATURE] = -1;
}

/**
 * Scans histograms for the best split and writes it as a record into a shared
 * Float64Array (see {@link SPLIT}), so worker threads can hand results back without
 * messages. Gains follow XGBoost (no ½ factor, `gamma` as the minimum loss reduction) so
 * that the same parameters grow the same-shaped trees. Missing values are tried on both
 * sides and the better side becomes the learned default. Ties keep the first candidate in
 * feature order, so scanning blocks separately and keeping the first best gives the same
 * split as one scan over all features.
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

  /** Best split over features `[first, first + count)` that are in use. */
  find(
    hist: Float64Array,
    histBase: number,
    G: number,
    H: number,
    first: number,
    count: number,
    used: Uint8Array,
    out: Float64Array,
    at: number,
  ): void {
    clearSplit(out, at);
    const p = this.p;
    const parent = score(G, H, p);
    const minGain = Math.max(p.gamma, 1e-6);
    for (let f = first; f < first + count; f++) {
      if (used[f] === 0) continue;
      const off = histBase + (this.mapper.binOffset[f] << 1);
      const nb = this.mapper.numBins[f];
      const missG = hist[off + 2 * nb];
      const missH = hist[off + 2 * nb + 1];
      if (this.mapper.categorical[f]) {
        this.findCategorical(hist, off, nb, f, G, H, missG, missH, parent, minGain, out, at);
        continue;
      }
      if (p.alpha === 0)
        this.scanWithoutL1(hist, off, nb, f, G, H, missG, missH, parent, minGain, out, at);
      else this.scanWithL1(hist, off, nb, f, G, H, missG, missH, parent, minGain, out, at);
    }
  }

  /**
   * Numeric candidates when alpha = 0: scores are g² / (h + λ) with no soft-thresholding,
   * whose sign tests would mispredict on every other candidate.
   */
  private scanWithoutL1(
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
    out: Float64Array,
    at: number,
  ): void {
    const lambda = this.p.lambda;
    const minChild = this.p.minChildWeight;
    let best = out[at + SPLIT.GAIN];
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
      if (hl >= minChild && hr >= minChild) {
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > best && gain > minGain) {
          best = gain;
          this.take(out, at, gain, f, t, false, gl, hl);
        }
      }
      if (missH > 0) {
        // Missing values go left.
        const hl2 = hl + missH;
        hr = H - hl2;
        if (hl2 >= minChild && hr >= minChild) {
          const gl2 = gl + missG;
          const gr = G - gl2;
          const gain = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parent;
          if (gain > best && gain > minGain) {
            best = gain;
            this.take(out, at, gain, f, t, true, gl2, hl2);
          }
        }
      }
    }
  }

  /** Numeric candidates with L1 regularisation (alpha > 0). */
  private scanWithL1(
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
    out: Float64Array,
    at: number,
  ): void {
    const p = this.p;
    let best = out[at + SPLIT.GAIN];
    let gl = 0;
    let hl = 0;
    for (let t = 0; t < nb - 1; t++) {
      const bh = hist[off + 2 * t + 1];
      if (bh === 0) continue;
      gl += hist[off + 2 * t];
      hl += bh;
      let hr = H - hl;
      if (hl >= p.minChildWeight && hr >= p.minChildWeight) {
        const gain = score(gl, hl, p) + score(G - gl, hr, p) - parent;
        if (gain > best && gain > minGain) {
          best = gain;
          this.take(out, at, gain, f, t, false, gl, hl);
        }
      }
      if (missH > 0) {
        const hl2 = hl + missH;
        hr = H - hl2;
        if (hl2 >= p.minChildWeight && hr >= p.minChildWeight) {
          const gl2 = gl + missG;
          const gain = score(gl2, hl2, p) + score(G - gl2, hr, p) - parent;
          if (gain > best && gain > minGain) {
            best = gain;
            this.take(out, at, gain, f, t, true, gl2, hl2);
          }
        }
      }
    }
  }

  private take(
    out: Float64Array,
    at: number,
    gain: number,
    f: number,
    bin: number,
    defaultLeft: boolean,
    gl: number,
    hl: number,
  ): void {
    out[at + SPLIT.GAIN] = gain;
    out[at + SPLIT.FEATURE] = f;
    out[at + SPLIT.BIN] = bin;
    out[at + SPLIT.DEFAULT_LEFT] = defaultLeft ? 1 : 0;
    out[at + SPLIT.LEFT_G] = gl;
    out[at + SPLIT.LEFT_H] = hl;
    out[at + SPLIT.CATEGORICAL] = 0;
  }

  /**
   * Small cardinality: one category against the rest (what one-hot encoding would give).
   * Otherwise LightGBM's trick: sort categories by gradient/hessian ratio, and the best
   * split is a prefix of that order. The chosen categories go right.
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
    out: Float64Array,
    at: number,
  ): void {
    const p = this.p;
    const used = this.order;
    let numUsed = 0;
    for (let b = 0; b < nb; b++) if (hist[off + 2 * b + 1] > 0) used[numUsed++] = b;
    if (numUsed < 2) return;
    const oneHot = numUsed <= p.maxCatToOnehot;
    if (!oneHot) {
      for (let i = 0; i < numUsed; i++) {
        const b = used[i];
        this.ratio[b] = hist[off + 2 * b] / (hist[off + 2 * b + 1] + p.lambda);
      }
      used.subarray(0, numUsed).sort((a, b) => this.ratio[a] - this.ratio[b] || a - b);
    }
    let gr = 0;
    let hr = 0;
    const last = oneHot ? numUsed : numUsed - 1;
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
      for (let side = 0; side < 2; side++) {
        const missLeft = side === 0;
        if (!missLeft && missH === 0) continue;
        const grr = missLeft ? gr : gr + missG;
        const hrr = missLeft ? hr : hr + missH;
        const hl = H - hrr;
        if (hl < p.minChildWeight || hrr < p.minChildWeight) continue;
        const gain = score(G - grr, hl, p) + score(grr, hrr, p) - parent;
        if (gain > out[at + SPLIT.GAIN] && gain > minGain) {
          this.take(out, at, gain, f, -1, missLeft, G - grr, hl);
          out[at + SPLIT.CATEGORICAL] = 1;
          out.fill(0, at + SPLIT.CATS, at + SPLIT.CATS + SPLIT.CAT_WORDS);
          if (oneHot) setBit(out, at, b);
          else for (let j = 0; j <= i; j++) setBit(out, at, used[j]);
        }
      }
    }
  }
}

function setBit(out: Float64Array, at: number, bin: number): void {
  const w = at + SPLIT.CATS + (bin >>> 5);
  out[w] = (out[w] | (1 << (bin & 31))) >>> 0;
}

/** Whether a categorical split record sends `bin` right. */
export function sendsRight(split: Float64Array, at: number, bin: number): boolean {
  return ((split[at + SPLIT.CATS + (bin >>> 5)] >>> (bin & 31)) & 1) === 1;
}
