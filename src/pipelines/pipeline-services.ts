import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '../artifacts/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import type { DataServices } from '../data/index.js';
import type { Database, Dialect } from '../db/index.js';
import type { CursorStore, EventStore } from '../events/index.js';
import type { RegistryService } from '../registry/index.js';
import type { TrackingService } from '../tracking/index.js';
import type { Executor } from './executors/executor.js';
import {
  DEFAULT_JOB_SETTINGS,
  KubernetesExecutor,
  type JobSettings,
  type KubernetesConnection,
} from './executors/kubernetes/index.js';
import { LocalExecutor, type StepWorkerData } from './executors/local/index.js';
import { PipelineService } from './pipeline-service.js';
import type { ApiEndpoint } from './runner/api-endpoint.js';
import { PipelineRunner } from './runner/pipeline-runner.js';
import { RunSupervisor } from './runner/run-supervisor.js';
import { builtinCatalog } from './steps/builtin-steps.js';
import { KyselyPipelineStore } from './store/kysely-pipeline-store.js';
import { PipelineTriggers } from './triggers/pipeline-triggers.js';
import { advisoryLockLease, tableLease, type SchedulerLease } from './triggers/scheduler-lease.js';

export interface PipelineServicesOptions {
  db: Database;
  tracking: TrackingService;
  data: DataServices;
  registry: RegistryService;
  artifacts: ArtifactStore;
  /** The outbox and cursors trigger events are read with. */
  events: EventStore;
  cursors: CursorStore;
  /** Gyre's home: step scratch space lives under it. */
  home: string;
  /** How built-in steps' workers open their services (a module of the composition root). */
  stepHost: StepWorkerData;
  /** Where `run` steps reach the API; without it they get no GYRE_URL. */
  endpoint?: ApiEndpoint;
  gyreVersion: string;
  /** Where steps run (default: local). */
  executor?: ExecutorChoice;
  /** Steps at once per run (default: the number of cores). */
  concurrency?: number;
  logger?: Logger;
  clock?: Clock;
}

/** `pipelines.executor` and, for `kubernetes`, how its Jobs look and where the cluster is. */
export type ExecutorChoice =
  | { kind: 'local' }
  | {
      kind: 'kubernetes';
      settings: Pick<JobSettings, 'namespace' | 'image'> & Partial<JobSettings>;
      connection: KubernetesConnection;
    };

/** The pipelines domain, built once by the composition root. */
export interface PipelineServices {
  service: PipelineService;
  supervisor: RunSupervisor;
  executor: Executor;
  store: KyselyPipelineStore;
  triggers: PipelineTriggers;
}

export function createPipelineServices(options: PipelineServicesOptions): PipelineServices {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = new KyselyPipelineStore(options.db);
  const local = new LocalExecutor({
    workRoot: join(options.home, 'pipelines', 'work'),
    stepHost: options.stepHost,
  });
  const choice = options.executor ?? { kind: 'local' };
  // Chosen by name through a plain map; built-in steps stay on local worker threads either way.
  const executors: Record<ExecutorChoice['kind'], () => Executor> = {
    local: () => local,
    kubernetes: () => {
      if (choice.kind !== 'kubernetes') throw new Error('kubernetes executor without settings');
      return new KubernetesExecutor({
        settings: { ...DEFAULT_JOB_SETTINGS, ...choice.settings },
        connection: choice.connection,
        builtins: local,
        logger: logger.child({ component: 'kubernetes-executor' }),
      });
    },
  };
  const executor = executors[choice.kind]();
  const runner = new PipelineRunner({
    store,
    executor,
    tracking: options.tracking,
    data: options.data,
    registry: options.registry,
    artifacts: options.artifacts,
    catalog: builtinCatalog,
    clock,
    logger,
    gyreVersion: options.gyreVersion,
  });
  const supervisor = new RunSupervisor({
    store,
    runner,
    executor,
    tracking: options.tracking,
    clock,
    logger,
    concurrency: options.concurrency ?? availableParallelism(),
    endpoint: options.endpoint,
  });
  const service = new PipelineService(store, supervisor, builtinCatalog, clock);
  // One scheduler among servers: PostgreSQL's advisory lock; on SQLite (one machine) a lease row.
  const leases: Record<Dialect, () => SchedulerLease> = {
    postgres: () => advisoryLockLease(options.db),
    sqlite: () => tableLease(store, supervisor.ownerId, clock),
  };
  const triggers = new PipelineTriggers({
    pipelines: service,
    supervisor,
    events: options.events,
    cursors: options.cursors,
    lease: leases[options.db.dialect](),
    clock,
    logger,
  });
  return { service, supervisor, executor, store, triggers };
}
