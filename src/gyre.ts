// Composition root: builds every store and service of one Gyre process from its config,
// once. The CLI, the servers and the tests all start here; nothing else wires domains together.
import { readFileSync } from 'node:fs';
import { openArtifactStore, type ArtifactStore } from './artifacts/index.js';
import { createAuthServices, type AuthServices } from './auth/index.js';
import type { GyreConfig } from './config/index.js';
import {
  InvalidArgumentError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from './core/index.js';
import {
  createDataServices,
  LandingWatcher,
  openSqsQueue,
  SqsLandingSource,
  type DataServices,
  type LandingOutcome,
} from './data/index.js';
import { DeploymentManifests } from './deploy/index.js';
import {
  createFeatureServices,
  registerFeatureMetrics,
  type FeatureServices,
} from './features/index.js';
import { createGovernanceServices, type GovernanceServices } from './governance/index.js';
import { migrateToLatest, openDatabase, type Database } from './db/index.js';
import {
  EventDispatcher,
  KyselyCursorStore,
  KyselyEventStore,
  type EventStore,
} from './events/index.js';
import type { Registry } from 'prom-client';
import {
  createPipelineServices,
  registerPipelineMetrics,
  fixedEndpoint,
  type ApiEndpoint,
  type PipelineService,
} from './pipelines/index.js';
import {
  createMonitoringServices,
  registerMonitoringMetrics,
  type MonitoringServices,
  type MonitoringSnapshotSource,
} from './monitoring/index.js';
import { KyselyRegistryStore, RegistryService } from './registry/index.js';
import {
  createServingServices,
  piiLogPolicy,
  type LogPrivacy,
  type ServingServices,
} from './serving/index.js';
import { createTrackingService, type TrackingService } from './tracking/index.js';
import { featureUsage } from './wiring/feature-usage.js';
import { lineageLinks } from './wiring/lineage-links.js';
import { runLookup } from './wiring/run-lookup.js';
import { withRunTokens } from './wiring/run-tokens.js';
import { deploymentPolicies, piiHashKey } from './wiring/pii-hash-key.js';

/** Everything one Gyre process runs on: stores and domain services, built once. */
export interface Gyre {
  readonly config: GyreConfig;
  readonly logger: Logger;
  readonly db: Database;
  readonly artifacts: ArtifactStore;
  /** Opens another artifact store (an s3:// source, a landing zone) with the configured credentials. */
  openStore(uri: string): ArtifactStore;
  /** The durable outbox every domain writes to. */
  readonly events: EventStore;
  /** Delivers outbox events to consumers; runs only in a started (long-running) process. */
  readonly dispatcher: EventDispatcher;
  readonly tracking: TrackingService;
  readonly registry: RegistryService;
  readonly data: DataServices;
  /** The feature store: definitions, training sets, the online store and materialization. */
  readonly features: FeatureServices;
  /** Deployments, the model loader; model servers are built over them (server/inference). */
  readonly serving: ServingServices;
  readonly pipelines: PipelineService;
  /** Monitors, label feedback, alerts and the rollout driver (a started server runs them). */
  readonly monitoring: MonitoringServices;
  /** API tokens, per-resource grants and the audit log. */
  readonly auth: AuthServices;
  /** Kubernetes manifests of Gyre's objects (`gyre deployments render`). */
  readonly deploy: { manifests: DeploymentManifests };
  /** Model cards, retention, costs and budgets (reads every other domain). */
  readonly governance: GovernanceServices;
  /** How the prediction log hashes or drops PII inputs (configuration `governance.pii*`). */
  predictionLogPrivacy(): LogPrivacy;
  /**
   * Adds the metrics computed when Prometheus scrapes — monitoring gauges (drift, realized
   * performance, cost, alert states), pipeline run counts and durations, feature freshness —
   * to a registry.
   */
  registerMetrics(registry: Registry): void;
  /**
   * Starts the background work of a long-running server. `apiUrl` is where the server
   * answers: pipeline steps call back there.
   */
  start(options?: { landingZones?: boolean; apiUrl?: string }): void;
  /**
   * A consumer of the landing bucket's S3 notifications on SQS (landing.sqs.* config; the
   * queue URL given or configured). `gyre up` / `gyre server` start one when a queue is set.
   */
  landingQueue(options?: {
    queueUrl?: string;
    onOutcome?: (o: LandingOutcome) => void;
  }): SqsLandingSource;
  /** Stops background work (finishing what is in progress), then closes the database. */
  close(): Promise<void>;
}

export interface CreateGyreOptions {
  logger?: Logger;
  clock?: Clock;
  /**
   * Where pipeline steps reach the API when no server runs in this process (the CLI serves
   * it on an ephemeral loopback port); a started server uses its own URL instead.
   */
  apiEndpoint?: (gyre: Gyre) => ApiEndpoint;
  /** What the monitoring gauges read; the monitoring service's snapshot by default. */
  monitoringSnapshots?: MonitoringSnapshotSource;
}

const GYRE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** How often a started server checks budgets and moves their alerts. */
const BUDGET_CHECK_MS = 15 * 60_000;

/** Opens the database (migrating it to the latest schema) and builds every service. */
export async function createGyre(
  config: GyreConfig,
  options: CreateGyreOptions = {},
): Promise<Gyre> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const db = openDatabase(config.database.url, { poolSize: config.database.poolSize });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }

  const openStore = (uri: string) => openArtifactStore(uri, { s3: config.s3 });
  const artifacts = openStore(config.artifacts.root);
  const events = new KyselyEventStore(db, clock);
  const dispatcher = new EventDispatcher({
    events,
    cursors: new KyselyCursorStore(db),
    logger: logger.child({ component: 'events' }),
    clock,
  });
  const tracking = createTrackingService(db);
  const registry = new RegistryService({
    store: new KyselyRegistryStore(db, events),
    artifacts,
    runs: runLookup(tracking),
    logger,
    clock,
  });
  const data = createDataServices({
    db,
    artifacts,
    events,
    openStore,
    allowedSourceRoots: config.data.allowedSourceRoots,
    lineageLinks: lineageLinks(tracking, registry),
    logger,
    clock,
  });

  const serving = createServingServices({ db, events, registry, artifacts, logger, clock });
  for (const consumer of serving.consumers) dispatcher.register(consumer);

  const features = createFeatureServices({
    db,
    data,
    onlineStore: config.features.onlineStore,
    cacheMaxEntries: config.features.cacheMaxEntries,
    cacheTtlMs: config.features.cacheTtlMs,
    usage: featureUsage(serving.deployments),
    logger,
    clock,
  });
  for (const consumer of features.consumers) dispatcher.register(consumer);

  const pipelines = createPipelineServices({
    db,
    tracking,
    data,
    registry,
    artifacts,
    events,
    cursors: new KyselyCursorStore(db),
    home: config.home,
    // Built-in steps run on worker threads that open their own services from this config.
    stepHost: { hostModule: new URL('./step-host.js', import.meta.url).href, hostOptions: config },
    gyreVersion: GYRE_VERSION,
    concurrency: config.pipelines.concurrency || undefined,
    executor:
      config.pipelines.executor === 'kubernetes'
        ? {
            kind: 'kubernetes',
            settings: {
              namespace: config.kubernetes.namespace,
              image: config.kubernetes.image,
              serviceAccountName: config.kubernetes.serviceAccount,
              envSecret: config.kubernetes.envSecret,
              ttlSecondsAfterFinished: config.kubernetes.jobTtlSeconds,
            },
            connection: { kubeconfig: config.kubernetes.kubeconfig },
          }
        : { kind: 'local' },
    logger: logger.child({ component: 'pipelines' }),
    clock,
  });

  const auth = createAuthServices(db, clock);

  // Steps that call back authenticate like any client when the API requires it.
  const stepEndpoint = (endpoint: ApiEndpoint) =>
    config.auth.enabled ? withRunTokens(endpoint, auth.tokens, logger) : endpoint;

  const monitoring = createMonitoringServices({
    db,
    events,
    deployments: serving.deployments,
    datasets: data.datasets,
    artifactRootUri: artifacts.rootUri,
    cpuHourPriceUsd: config.monitoring.cpuHourPriceUsd,
    canary: {
      predictionDrift: config.monitoring.canaryPredictionDrift,
      latencySlackMs: config.monitoring.canaryLatencySlackMs,
    },
    logger,
    clock,
  });

  const deploy = {
    manifests: new DeploymentManifests({
      deployments: serving.deployments,
      defaults: {
        namespace: config.kubernetes.namespace,
        image: config.kubernetes.image,
        serviceAccountName: config.kubernetes.serviceAccount,
        envSecret: config.kubernetes.envSecret,
      },
    }),
  };
  const governance = createGovernanceServices({
    db,
    registry,
    tracking,
    data,
    pipelines: pipelines.service,
    deployments: serving.deployments,
    monitoring: monitoring.service,
    artifacts,
    audit: auth.audit,
    retention: config.governance.retention,
    rates: {
      cpuHourUsd: config.governance.cpuHourPriceUsd,
      memoryGibHourUsd: config.governance.memoryGibHourPriceUsd,
      servingCpuHourUsd: config.monitoring.cpuHourPriceUsd,
    },
    clock,
    logger: logger.child({ component: 'governance' }),
  });

  const landingQueue = (o: { queueUrl?: string; onOutcome?: (x: LandingOutcome) => void } = {}) => {
    const sqs = config.landing.sqs;
    const queueUrl = o.queueUrl ?? sqs.queueUrl;
    if (!queueUrl)
      throw new InvalidArgumentError(
        'no landing queue: set landing.sqs.queueUrl (GYRE_LANDING_SQS_QUEUE_URL) or pass one',
      );
    return new SqsLandingSource({
      landing: data.landing,
      queue: openSqsQueue({
        queueUrl,
        region: config.s3.region,
        endpoint: sqs.endpoint,
        accessKeyId: config.s3.accessKeyId,
        secretAccessKey: config.s3.secretAccessKey,
      }),
      waitTimeSeconds: sqs.waitTimeSeconds,
      visibilityTimeoutSeconds: sqs.visibilityTimeoutSeconds,
      maxReceives: sqs.maxReceives,
      logger: logger.child({ component: 'landing-sqs' }),
      onOutcome: o.onOutcome,
    });
  };
  // With a landing queue, S3 zones are fed by its events; listing them would only cost.
  const queueSource = config.landing.sqs.queueUrl ? landingQueue() : undefined;
  const watcher = new LandingWatcher(data.landing, {
    logger,
    skip: queueSource ? (zone) => zone.uri.startsWith('s3://') : undefined,
  });
  let started = false;
  let budgetTimer: NodeJS.Timeout | undefined;
  let sweep: Promise<void> = Promise.resolve();
  const gyre: Gyre = {
    config,
    logger,
    db,
    artifacts,
    openStore,
    events,
    dispatcher,
    tracking,
    registry,
    data,
    features,
    serving,
    pipelines: pipelines.service,
    monitoring,
    auth,
    deploy,
    governance,
    predictionLogPrivacy: () =>
      piiLogPolicy({
        pii: data.pii,
        policy: config.governance.piiLogPolicy,
        deploymentPolicies: deploymentPolicies(config.governance.piiDeploymentPolicies),
        columns: config.governance.piiColumns,
        key: piiHashKey(config.governance.piiHashKey, config.home),
        logger: logger.child({ component: 'prediction-log' }),
      }),
    landingQueue,
    registerMetrics(promRegistry) {
      const metricsLogger = logger.child({ component: 'metrics' });
      registerMonitoringMetrics(promRegistry, options.monitoringSnapshots ?? monitoring.service, {
        logger: metricsLogger,
      });
      registerPipelineMetrics(promRegistry, pipelines.store, metricsLogger);
      registerFeatureMetrics(promRegistry, features, metricsLogger);
    },
    start(startOptions = {}) {
      if (started) return;
      started = true;
      dispatcher.start();
      if (startOptions.landingZones) {
        watcher.start();
        queueSource?.start();
      }
      // Step pods on Kubernetes cannot reach the address the server binds (0.0.0.0): the Service.
      const apiUrl =
        config.pipelines.executor === 'kubernetes'
          ? (config.kubernetes.apiUrl ?? startOptions.apiUrl)
          : startOptions.apiUrl;
      if (apiUrl) pipelines.supervisor.setEndpoint(stepEndpoint(fixedEndpoint(apiUrl)));
      void pipelines.triggers.start(config.pipelines.scheduler);
      sweep = sweepStaleTempFiles(artifacts, logger);
      monitoring.runner.start(config.monitoring.intervalMs);
      monitoring.rollouts.startTimer(config.monitoring.rolloutIntervalMs);
      budgetTimer = setInterval(() => {
        governance.budgets
          .check({ alert: true })
          .catch((error: unknown) => logger.warn({ err: error }, 'budget check failed'));
      }, BUDGET_CHECK_MS);
      budgetTimer.unref();
    },
    async close() {
      // Background work first: it may still be writing to the database.
      clearInterval(budgetTimer);
      await sweep;
      await monitoring.runner.stop();
      await monitoring.rollouts.stop();
      await watcher.stop();
      await queueSource?.stop();
      await dispatcher.stop();
      await pipelines.triggers.stop();
      await pipelines.supervisor.close();
      await pipelines.executor.close();
      await features.close();
      await db.close();
    },
  };
  if (options.apiEndpoint)
    pipelines.supervisor.setEndpoint(stepEndpoint(options.apiEndpoint(gyre)));
  return gyre;
}

/** Clears what writers killed mid-upload left in the artifact store; never fails the start. */
async function sweepStaleTempFiles(artifacts: ArtifactStore, logger: Logger): Promise<void> {
  try {
    const swept = await artifacts.sweepStaleTempFiles?.();
    if (swept && swept.removed > 0) logger.info(swept, 'removed stale artifact temp files');
  } catch (error) {
    logger.warn({ err: error }, 'could not sweep stale artifact temp files');
  }
}
