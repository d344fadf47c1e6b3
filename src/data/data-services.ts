import type { ArtifactStore } from '../artifacts/index.js';
import { systemClock, type Clock, type Logger } from '../core/index.js';
import type { Database } from '../db/index.js';
import { DatasetService } from './dataset-service.js';
import type { EventStore } from '../events/index.js';
import type { OpenStore } from './ingest/materialize-source.js';
import { KyselyDatasetStore } from './kysely-dataset-store.js';
import { LandingService } from './landing/landing-service.js';
import { KyselyLandingZoneStore } from './landing/landing-store.js';
import type { LineageLinks } from './lineage/lineage-links.js';
import { LineageService } from './lineage/lineage-service.js';
import { TransformService } from './transforms/transform-service.js';
import { KyselyPiiTagStore } from './pii/pii-tag-store.js';
import { PiiService } from './pii/pii-service.js';
import { SourceGuard } from './ingest/source-guard.js';

/** Every service of the data domain, built once by the composition root. */
export interface DataServices {
  datasets: DatasetService;
  transforms: TransformService;
  lineage: LineageService;
  landing: LandingService;
  /** What remote callers may ingest by path. */
  sources: SourceGuard;
  /** PII tags on dataset columns and scans that suggest them. */
  pii: PiiService;
}

export interface DataServicesOptions {
  db: Database;
  artifacts: ArtifactStore;
  /** The shared outbox new dataset versions are announced on. */
  events: EventStore;
  /** Opens stores for s3:// sources and landing zones, with the configured credentials. */
  openStore: OpenStore;
  logger?: Logger;
  clock?: Clock;
  /** Server directories remote callers may ingest from (absolute paths). */
  allowedSourceRoots?: readonly string[];
  /** Runs and model versions for lineage; wired once tracking and the registry exist. */
  lineageLinks?: LineageLinks;
}

export function createDataServices(options: DataServicesOptions): DataServices {
  const clock = options.clock ?? systemClock;
  const datasets = new DatasetService({
    store: new KyselyDatasetStore(options.db, clock, options.events),
    artifacts: options.artifacts,
    openStore: options.openStore,
    clock,
  });
  const landing = new LandingService({
    datasets,
    store: new KyselyLandingZoneStore(options.db, clock),
    openStore: options.openStore,
    logger: options.logger,
    clock,
  });
  const lineage = new LineageService(datasets, options.lineageLinks);
  return {
    datasets,
    transforms: new TransformService(datasets),
    lineage,
    pii: new PiiService({ datasets, lineage, store: new KyselyPiiTagStore(options.db), clock }),
    landing,
    sources: new SourceGuard(options.allowedSourceRoots ?? [], async () =>
      (await landing.listZones()).map((z) => z.uri),
    ),
  };
}
