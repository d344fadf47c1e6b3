import type { ArtifactStore } from '../artifacts/index.js';
import type { AuditLog } from '../auth/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { DataServices } from '../data/index.js';
import type { MonitoringService } from '../monitoring/index.js';
import type { PipelineService } from '../pipelines/index.js';
import type { RegistryService } from '../registry/index.js';
import type { DeploymentService } from '../serving/index.js';
import type { TrackingService } from '../tracking/index.js';
import { CardService } from './cards/card-service.js';
import type { RateCard } from './costs/cost-report.js';
import { BudgetService } from './costs/budget-service.js';
import { CostService } from './costs/cost-service.js';
import { KyselyBudgetStore } from './store/budget-store.js';
import type { RetentionPolicy } from './retention/retention-policy.js';
import { RetentionService } from './retention/retention-service.js';
import { KyselyCardFieldStore } from './store/card-field-store.js';
import { pipelineUsageDb } from './store/pipeline-tables.js';
import { governanceDb } from './store/governance-tables.js';

/** Every service of the governance domain, built once by the composition root. */
export interface GovernanceServices {
  cards: CardService;
  retention: RetentionService;
  costs: CostService;
  budgets: BudgetService;
}

export interface GovernanceServicesOptions {
  db: Database;
  registry: RegistryService;
  tracking: TrackingService;
  data: DataServices;
  pipelines: PipelineService;
  deployments: DeploymentService;
  monitoring: MonitoringService;
  artifacts: ArtifactStore;
  audit: AuditLog;
  retention: RetentionPolicy;
  rates: RateCard;
  clock?: Clock;
  logger?: Logger;
}

export function createGovernanceServices(options: GovernanceServicesOptions): GovernanceServices {
  const db = governanceDb(options.db);
  const clock = options.clock ?? systemClock;
  const costs = new CostService({ ...options, pipelineDb: pipelineUsageDb(options.db), clock });
  return {
    cards: new CardService({
      ...options,
      piiColumns: (dataset) => options.data.pii.tags(dataset),
      fields: new KyselyCardFieldStore(db),
      clock,
    }),
    retention: new RetentionService({
      ...options,
      pipelineDb: pipelineUsageDb(options.db),
      defaults: options.retention,
      clock,
      logger: options.logger ?? silentLogger,
    }),
    costs,
    budgets: new BudgetService({
      store: new KyselyBudgetStore(db),
      costs,
      monitoring: options.monitoring,
      clock,
    }),
  };
}
