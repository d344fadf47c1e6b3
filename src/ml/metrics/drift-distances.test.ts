import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random.js';
import {
  jensenShannonDistance,
  wassersteinDistanceBinned,
  wassersteinDistanceSorted,
} from './drift-distances.js';

describe('binned Wasserstein distance', () => {
  it('is exact for samples spread evenly within their bins', () => {
    // U[0, 1] against U[0.5, 1.5]: the CDFs are a shift of 0.5 apart everywhere.
    const edges = [0, 0.5, 1, 1.5];
    expect(
      wassersteinDistanceBinned({ edges, counts: [1, 1, 0] }, { edges, counts: [0, 1, 1] }),
    ).toBeCloseTo(0.5, 15);
  });

  it('spreads the values outside the edges over [min, first edge] and [last edge, max]', () => {
    // b lies past the last edge, so it is spread over U[1, 4]; a is U[0, 1]: W = 2.5 − 0.5.
    const edges = [0, 1];
    const w = wassersteinDistanceBinned(
      { edges, counts: [10] },
      { edges, counts: [0], above: 5, max: 4 },
    );
    expect(w).toBeCloseTo(2, 12);
  });

  it('handles point masses (zero-width bins)', () => {
    const w = wassersteinDistanceBinned(
      { edges: [3, 3], counts: [4] },
      { edges: [3, 3], counts: [0], above: 4, max: 5 },
    );
    expect(w).toBeCloseTo(1, 12);
  });

  it('comes close to the exact distance on fine quantile bins', () => {
    const rng = new SeededRandom(7);
    const a = Float64Array.from({ length: 20_000 }, () => rng.next() ** 2).sort();
    const b = Float64Array.from({ length: 50_000 }, () => rng.next() ** 1.7 + 0.03).sort();
    const edges = Array.from({ length: 101 }, (_, i) => a[Math.round((i / 100) * (a.length - 1))]);
    const bin = (values: Float64Array) => {
      const counts = new Array<number>(100).fill(0);
      let below = 0;
      let above = 0;
      for (const v of values) {
        if (v < edges[0]) below++;
        else if (v > edges[100]) above++;
        else counts[Math.max(0, edges.findIndex((e) => e >= v) - 1)]++;
      }
      return { edges, counts, below, above, min: values[0], max: values[values.length - 1] };
    };
    const exact = wassersteinDistanceSorted(a, b);
    const binned = wassersteinDistanceBinned(bin(a), bin(b));
    expect(Math.abs(binned - exact) / exact).toBeLessThan(0.01);
  });
});

describe('Jensen–Shannon distance', () => {
  it('is 0 for equal shares and 1 (base 2) for disjoint ones', () => {
    expect(jensenShannonDistance([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 15);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(1, 15);
  });
});
