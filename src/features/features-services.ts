import { silentLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import type { DataServices } from '../data/index.js';
import type { Database } from '../db/index.js';
import type { EventConsumer } from '../events/index.js';
import { FeatureDiscovery, type FeatureUsage } from './discovery.js';
import { FeatureRegistry } from './feature-registry.js';
import { TrainingSets } from './offline/training-sets.js';
import { materializeOnNewVersion } from './online/materialize-on-new-version.js';
import { Materializer } from './online/materializer.js';
import { OnlineFeatures } from './online/online-features.js';
import { openOnlineStore } from './online/open-online-store.js';
import type { OnlineStore } from './online/online-store.js';
import { KyselyFeatureStore } from './store.js';

/** The feature store's services, built once by the composition root. */
export interface FeatureServices {
  registry: FeatureRegistry;
  trainingSets: TrainingSets;
  materializer: Materializer;
  /** Online lookups with the in-process cache (REST, SDK and serving read through it). */
  online: OnlineFeatures;
  discovery: FeatureDiscovery;
  /** Event consumers the composition root registers with the dispatcher. */
  consumers: EventConsumer[];
  close(): Promise<void>;
}

export interface FeatureServicesOptions {
  db: Database;
  data: DataServices;
  /** `sql` (the metadata database) or a `redis://` URL. */
  onlineStore: string;
  cacheMaxEntries?: number;
  cacheTtlMs?: number;
  /** Deployments using feature services, from serving (wired in gyre.ts). */
  usage?: FeatureUsage;
  logger?: Logger;
  clock?: Clock;
}

export function createFeatureServices(options: FeatureServicesOptions): FeatureServices {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = new KyselyFeatureStore(options.db);
  const registry = new FeatureRegistry(store, clock);
  const onlineStore: OnlineStore = openOnlineStore(options.onlineStore, options.db);
  const materializer = new Materializer(registry, options.data.datasets, store, onlineStore, {
    clock,
    logger,
  });
  const online = new OnlineFeatures(registry, onlineStore, {
    clock,
    cacheMaxEntries: options.cacheMaxEntries,
    cacheTtlMs: options.cacheTtlMs,
  });
  return {
    registry,
    trainingSets: new TrainingSets(registry, options.data.datasets),
    materializer,
    online,
    discovery: new FeatureDiscovery(registry, store, options.data, options.usage, clock),
    consumers: [
      materializeOnNewVersion(materializer, logger.child({ component: 'features' }), () =>
        online.invalidate(),
      ),
    ],
    close: () => onlineStore.close(),
  };
}
