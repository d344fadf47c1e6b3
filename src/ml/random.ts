/**
 * A small seeded generator (mulberry32). Training must be reproducible for a given seed
 * across machines and Node versions, which Math.random cannot promise.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle<T extends { length: number; [i: number]: number }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** Chooses k distinct indices from [0, n), returned sorted ascending. */
  sampleIndices(n: number, k: number): Int32Array {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    this.shuffle(all);
    return all.subarray(0, Math.min(k, n)).sort();
  }
}

/** Splits row indices [0, n) into a shuffled train and test part (e.g. 80/20). */
export function trainTestSplit(
  n: number,
  testFraction: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new SeededRandom(seed).shuffle(order);
  const numTest = Math.round(n * testFraction);
  return { test: order.slice(0, numTest), train: order.slice(numTest) };
}
