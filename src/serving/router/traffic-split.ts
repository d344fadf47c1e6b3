/** The golden ratio's fractional part: steps of it spread picks as evenly as any sequence can. */
const GOLDEN = 0.6180339887498949;

/** FNV-1a over UTF-16 code units, scaled to [0, 1): cheap, stable across processes and restarts. */
export function hashToUnit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // A final avalanche so keys that differ only in their last characters spread over [0, 1).
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/**
 * Splits traffic between targets by weight.
 *
 * - `next()` (canary): each request advances a golden-ratio sequence from a random start, so
 *   any run of n requests lands within a couple of requests of the weights — a 10% canary
 *   gets 10% of the next hundred requests, not 10% "on average" — without a shared counter
 *   or any pattern a client could line up with.
 * - `forKey(key)` (A/B): a hash of the routing key picks the target, so one key always gets
 *   the same target in every process, until the weights change.
 */
export class TrafficSplit<T> {
  private readonly bounds: Float64Array;
  private readonly targets: T[];
  private position: number;

  constructor(
    entries: readonly { target: T; weight: number }[],
    random: () => number = Math.random,
  ) {
    const live = entries.filter((e) => e.weight > 0);
    if (live.length === 0) throw new Error('a traffic split needs a target with weight');
    const total = live.reduce((sum, e) => sum + e.weight, 0);
    this.targets = live.map((e) => e.target);
    this.bounds = new Float64Array(live.length);
    let acc = 0;
    live.forEach((e, i) => {
      acc += e.weight / total;
      this.bounds[i] = acc;
    });
    this.bounds[live.length - 1] = 1;
    this.position = random();
  }

  next(): T {
    let u = this.position + GOLDEN;
    if (u >= 1) u -= 1;
    this.position = u;
    return this.at(u);
  }

  forKey(key: string): T {
    return this.at(hashToUnit(key));
  }

  private at(u: number): T {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) if (u < bounds[i]) return this.targets[i];
    return this.targets[this.targets.length - 1];
  }
}
