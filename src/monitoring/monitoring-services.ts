// Builds the monitoring domain over one database: stores, the window evaluator, the service,
// label feedback, the rollout driver with its canary analysis, and the server's runner.
import {
  FailedPreconditionError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '../core/index.js';
import type { Database } from '../db/index.js';
import type { DatasetService } from '../data/index.js';
import type { EventStore } from '../events/index.js';
import type { DeploymentService } from '../serving/index.js';
import { postJson } from './actions/alert-actions.js';
import {
  analyzeCanary,
  DEFAULT_CANARY_CRITERIA,
  type CanaryCriteria,
  type CanaryVerdict,
} from './canary/canary-analysis.js';
import { RolloutDriver } from './canary/rollout-driver.js';
import { FeedbackService } from './feedback/feedback-service.js';
import { MonitorRunner } from './monitor-runner.js';
import { MonitoringService } from './monitoring-service.js';
import type { MonitoringSnapshot } from './monitoring-snapshot.js';
import { WindowEvaluator } from './monitors/window-evaluator.js';
import { KyselyAlertStore } from './store/alert-store.js';
import { KyselyFeedbackStore } from './store/feedback-store.js';
import { KyselyMonitorStore } from './store/monitor-store.js';
import { monitoringDb } from './store/monitoring-tables.js';
import { KyselyRolloutStore } from './store/rollout-store.js';

export interface MonitoringServices {
  service: MonitoringService;
  feedback: FeedbackService;
  rollouts: RolloutDriver;
  runner: MonitorRunner;
  /** The latest result per deployment and the open alerts (monitoring-snapshot.ts). */
  snapshot(): Promise<MonitoringSnapshot>;
}

export interface MonitoringServicesOptions {
  db: Database;
  events: EventStore;
  deployments: DeploymentService;
  datasets: DatasetService;
  artifactRootUri: string;
  canary?: Partial<CanaryCriteria>;
  cpuHourPriceUsd: number;
  clock?: Clock;
  logger?: Logger;
}

/** The local directory of the artifact root; prediction logs in object stores are not read yet. */
function localRoot(uri: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://'))
    throw new FailedPreconditionError(
      `canary analysis reads prediction logs from a local artifact root; ${uri.split('://')[0]}:// roots are not supported yet`,
    );
  return uri.startsWith('file://') ? new URL(uri).pathname : uri;
}

export function createMonitoringServices(options: MonitoringServicesOptions): MonitoringServices {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const db = monitoringDb(options.db);
  const feedbackStore = new KyselyFeedbackStore(db);
  const alerts = new KyselyAlertStore(db);
  const rollouts: RolloutDriver = new RolloutDriver({
    store: new KyselyRolloutStore(db),
    deployments: options.deployments,
    // Realized performance is judged as the deployment's monitor computes it (a classifier's
    // logloss, a regressor's RMSE); without a monitor, as a regressor.
    analyze: async (deployment, since, until): Promise<CanaryVerdict> => {
      const [monitor] = await service.listMonitors(deployment);
      return analyzeCanary(
        { artifactRoot: localRoot(options.artifactRootUri), feedback: feedbackStore },
        deployment,
        since,
        until,
        {
          ...DEFAULT_CANARY_CRITERIA,
          ...(monitor ? { task: monitor.spec.task } : {}),
          ...options.canary,
        },
      );
    },
    clock,
    logger: logger.child({ component: 'rollouts' }),
  });
  const service: MonitoringService = new MonitoringService({
    db,
    monitors: new KyselyMonitorStore(db),
    alerts,
    evaluator: new WindowEvaluator({
      datasets: options.datasets,
      feedback: feedbackStore,
      artifactRootUri: options.artifactRootUri,
      cpuHourPriceUsd: options.cpuHourPriceUsd,
    }),
    events: options.events,
    deployments: options.deployments,
    datasets: options.datasets,
    actions: {
      rollback: async (deployment, reason) =>
        (await options.deployments.rollback(deployment, { createdBy: 'monitoring', reason }))
          .current.revision,
      pauseRollout: (deployment) => rollouts.pause(deployment),
      post: postJson,
    },
    clock,
    logger: logger.child({ component: 'monitoring' }),
  });
  const feedback = new FeedbackService({
    store: feedbackStore,
    checkDeployment: (name) => options.deployments.get(name),
    clock,
  });
  const runner = new MonitorRunner(service, logger.child({ component: 'monitor-runner' }));
  return { service, feedback, rollouts, runner, snapshot: () => service.snapshot() };
}
