import { AggregatorRegistry, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastCounter, FastHistogram } from './fast-metrics.js';

describe('fast metrics', () => {
  it('expose counters and cumulative histogram buckets in Prometheus text', async () => {
    const registry = new Registry();
    const counter = new FastCounter('c_total', 'a counter', registry);
    const histogram = new FastHistogram('h_seconds', 'a histogram', [0.1, 1], registry);
    counter.child({ d: 'a' }).value += 3;
    const h = histogram.child({ d: 'a' });
    for (const v of [0.05, 0.5, 0.5, 7]) h.observe(v);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE c_total counter\nc_total{d="a"} 3');
    expect(text).toContain('h_seconds_bucket{le="0.1",d="a"} 1');
    expect(text).toContain('h_seconds_bucket{le="1",d="a"} 3');
    expect(text).toContain('h_seconds_bucket{le="+Inf",d="a"} 4');
    expect(text).toContain('h_seconds_sum{d="a"} 8.05');
    expect(text).toContain('h_seconds_count{d="a"} 4');
    histogram.remove({ d: 'a' });
    expect(await registry.metrics()).not.toContain('h_seconds_count');
  });

  it('sum across workers the way the cluster primary aggregates them', async () => {
    const workers = [new Registry(), new Registry()];
    workers.forEach((registry, i) => {
      new FastCounter('c_total', 'a counter', registry).child({ d: 'a' }).value = i + 1;
      new FastHistogram('h', 'h', [1], registry).child({ d: 'a' }).observe(0.5);
    });
    const merged = AggregatorRegistry.aggregate(
      await Promise.all(workers.map((w) => w.getMetricsAsJSON())),
    );
    const text = await merged.metrics();
    expect(text).toContain('c_total{d="a"} 3');
    expect(text).toContain('h_bucket{le="1",d="a"} 2');
  });
});
