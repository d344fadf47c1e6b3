import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

/** What prom-client's registry reads from a metric: the shape its own metrics return. */
interface ExportedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

/** A counter series: increment `value` directly. */
export interface CounterChild {
  value: number;
}

/** A histogram series: per-bucket counts (not cumulative) plus sum and count. */
export class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && v > bounds[i]) i++;
    this.counts[i]++;
    this.sum += v;
    this.count++;
  }
}

/**
 * Counters and histograms whose hot-path cost is a field increment: series are plain objects
 * held by the caller, and values are formatted only when Prometheus scrapes (or the cluster
 * primary asks). prom-client's own children hash their labels on every call, which on the
 * inference path cost more than the bookkeeping itself. Registered in a prom-client
 * Registry, so text exposition and cluster aggregation work unchanged.
 */
abstract class FastMetric<Child> {
  private readonly series = new Map<string, { labels: Labels; child: Child }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    registry: Registry,
  ) {
    // The registry needs only name, help and get(); prom-client's types ask for its classes.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  readonly aggregator = 'sum' as const;

  /** The series for `labels`, created on first use. Look it up once, then keep it. */
  child(labels: Labels): Child {
    const key = keyOf(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, child: this.create() };
      this.series.set(key, entry);
    }
    return entry.child;
  }

  /** Drops series whose labels include all of `labels` (a retired model version). */
  remove(labels: Labels): void {
    for (const [key, entry] of this.series)
      if (Object.entries(labels).every(([k, v]) => entry.labels[k] === v)) this.series.delete(key);
  }

  get(): ExportedMetric {
    const values: MetricValue[] = [];
    for (const { labels, child } of this.series.values()) this.export(labels, child, values);
    return { name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' };
  }

  protected abstract create(): Child;
  protected abstract export(labels: Labels, child: Child, out: MetricValue[]): void;
}

function keyOf(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
}

export class FastCounter extends FastMetric<CounterChild> {
  constructor(name: string, help: string, registry: Registry) {
    super(name, help, 'counter', registry);
  }

  protected create(): CounterChild {
    return { value: 0 };
  }

  protected export(labels: Labels, child: CounterChild, out: MetricValue[]): void {
    out.push({ value: child.value, labels });
  }
}

export class FastHistogram extends FastMetric<HistogramChild> {
  private readonly bounds: Float64Array;

  constructor(name: string, help: string, buckets: readonly number[], registry: Registry) {
    super(name, help, 'histogram', registry);
    this.bounds = Float64Array.from([...buckets].sort((a, b) => a - b));
  }

  protected create(): HistogramChild {
    return new HistogramChild(this.bounds);
  }

  protected export(labels: Labels, child: HistogramChild, out: MetricValue[]): void {
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += child.counts[i];
      out.push({
        value: cumulative,
        labels: { le: String(this.bounds[i]), ...labels },
        metricName: `${this.name}_bucket`,
      });
    }
    out.push({
      value: child.count,
      labels: { le: '+Inf', ...labels },
      metricName: `${this.name}_bucket`,
    });
    out.push({ value: child.sum, labels, metricName: `${this.name}_sum` });
    out.push({ value: child.count, labels, metricName: `${this.name}_count` });
  }
}
