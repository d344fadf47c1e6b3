// Freshness of the online store for /metrics, read from the materializations table when
// Prometheus scrapes: alert rules on lag work like any other Gyre alert in Prometheus.
import type { Registry } from 'prom-client';
import type { Logger } from '../core/index.js';
import type { FeatureDiscovery, ViewFreshness } from './discovery.js';
import type { FeatureRegistry } from './feature-registry.js';

interface Value {
  value: number;
  labels: Record<string, string>;
}

/** The shape prom-client's registry reads from a metric (name, help, type and get()). */
class ScrapedGauge {
  readonly aggregator = 'sum' as const;
  readonly type = 'gauge' as const;

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
    private readonly values: () => Promise<Value[]>,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  async get() {
    const { name, help, type, aggregator } = this;
    return { name, help, type, aggregator, values: await this.values() };
  }
}

/**
 * Registers `gyre_feature_view_lag_seconds` (now minus the newest event time materialized, per
 * view) and `gyre_feature_view_last_materialized_timestamp_seconds`. Views never materialized
 * have no series. Label values: feature view names.
 */
export function registerFeatureMetrics(
  promRegistry: Registry,
  features: { registry: FeatureRegistry; discovery: FeatureDiscovery },
  logger?: Logger,
): void {
  let inFlight: Promise<{ view: string; freshness: ViewFreshness }[]> | undefined;
  const read = () => {
    inFlight ??= features.registry
      .views()
      .then((views) =>
        Promise.all(
          views.map(async (v) => ({
            view: v.name,
            freshness: await features.discovery.freshness(v.name),
          })),
        ),
      )
      .catch((error: unknown) => {
        logger?.warn({ err: error }, 'feature freshness for /metrics failed');
        return [];
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  new ScrapedGauge(
    'gyre_feature_view_lag_seconds',
    'How far the online store trails now, per feature view: now minus the newest event time materialized.',
    promRegistry,
    async () =>
      (await read())
        .filter((r) => r.freshness.lagMs !== undefined)
        .map((r) => ({ labels: { view: r.view }, value: r.freshness.lagMs! / 1000 })),
  );
  new ScrapedGauge(
    'gyre_feature_view_last_materialized_timestamp_seconds',
    'When each feature view was last materialized into the online store (Unix seconds).',
    promRegistry,
    async () =>
      (await read())
        .filter((r) => r.freshness.lastMaterializedAt !== undefined)
        .map((r) => ({
          labels: { view: r.view },
          value: r.freshness.lastMaterializedAt! / 1000,
        })),
  );
}
