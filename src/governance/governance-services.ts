import { systemClock, type Clock } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { DataServices } from '../data/index.js';
import type { MonitoringService } from '../monitoring/index.js';
import type { PipelineService } from '../pipelines/index.js';
import type { RegistryService } from '../registry/index.js';
import type { DeploymentService } from '../serving/index.js';
import type { TrackingService } from '../tracking/index.js';
import { CardService } from './cards/card-service.js';
import { KyselyCardFieldStore } from './store/card-field-store.js';
import { governanceDb } from './store/governance-tables.js';

/** Every service of the governance domain, built once by the composition root. */
export interface GovernanceServices {
  cards: CardService;
}

export interface GovernanceServicesOptions {
  db: Database;
  registry: RegistryService;
  tracking: TrackingService;
  data: DataServices;
  pipelines: PipelineService;
  deployments: DeploymentService;
  monitoring: MonitoringService;
  clock?: Clock;
}

export function createGovernanceServices(options: GovernanceServicesOptions): GovernanceServices {
  const db = governanceDb(options.db);
  const clock = options.clock ?? systemClock;
  return {
    cards: new CardService({
      ...options,
      fields: new KyselyCardFieldStore(db),
      clock,
    }),
  };
}
