import { describe, expect, it } from 'vitest';
import { TrafficSplit, hashToUnit } from './traffic-split.js';

describe('TrafficSplit', () => {
  it('holds a canary weight within ±3% over 10,000 requests, and over every window of 1,000', () => {
    for (const seed of [0, 0.123, 0.5, 0.999]) {
      const split = new TrafficSplit(
        [
          { target: 'stable', weight: 90 },
          { target: 'canary', weight: 10 },
        ],
        () => seed,
      );
      const picks = Array.from({ length: 10_000 }, () => split.next());
      const share = picks.filter((p) => p === 'canary').length / picks.length;
      expect(Math.abs(share - 0.1)).toBeLessThan(0.003); // ±3% of the weight itself
      for (let start = 0; start < 10_000; start += 1000) {
        const window = picks.slice(start, start + 1000).filter((p) => p === 'canary').length;
        expect(Math.abs(window - 100)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('sends one routing key to one target, and splits keys by weight', () => {
    const split = new TrafficSplit([
      { target: 'a', weight: 50 },
      { target: 'b', weight: 50 },
    ]);
    const again = new TrafficSplit([
      { target: 'a', weight: 50 },
      { target: 'b', weight: 50 },
    ]);
    const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    for (const key of keys.slice(0, 100)) {
      const first = split.forKey(key);
      for (let i = 0; i < 5; i++) expect(split.forKey(key)).toBe(first);
      expect(again.forKey(key)).toBe(first); // every process agrees
    }
    const share = keys.filter((k) => split.forKey(k) === 'b').length / keys.length;
    expect(Math.abs(share - 0.5)).toBeLessThan(0.03);
  });

  it('hashes into [0, 1)', () => {
    for (const key of ['', 'a', 'user-1', 'é'.repeat(100)]) {
      const u = hashToUnit(key);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
});
