import { describe, expect, it } from 'vitest';
import { downsampleMinMax, type SampledPoint } from './metric-downsampling.js';

const series = (values: (number | null)[]): SampledPoint[] =>
  values.map((value, step) => ({ step, timestamp: 1000 + step, value }));

describe('downsampleMinMax', () => {
  it('returns short histories untouched', () => {
    const points = series([1, 2, 3]);
    expect(downsampleMinMax(points, 10)).toBe(points);
  });

  it('keeps at most the limit, the ends, and the extremes of each bucket in step order', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 1000));
    values[54_321] = 50; // a spike a mean would hide
    values[77_777] = -50;
    const out = downsampleMinMax(series(values), 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out[0].step).toBe(0);
    expect(out.at(-1)!.step).toBe(99_999);
    expect(out.map((p) => p.step)).toEqual([...out.map((p) => p.step)].sort((a, b) => a - b));
    expect(out.find((p) => p.step === 54_321)?.value).toBe(50);
    expect(out.find((p) => p.step === 77_777)?.value).toBe(-50);
  });

  it('leaves a gap only where a bucket has no finite value', () => {
    const values: (number | null)[] = Array.from({ length: 1000 }, (_, i) => i);
    for (let i = 100; i < 300; i++) values[i] = null;
    const out = downsampleMinMax(series(values), 20);
    expect(out.some((p) => p.value === null)).toBe(true);
    expect(out.filter((p) => p.value !== null).length).toBeGreaterThan(10);
  });
});
