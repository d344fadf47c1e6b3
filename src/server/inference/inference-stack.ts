import { collectDefaultMetrics, Registry } from 'prom-client';
import { KyselyCursorStore } from '../../events/index.js';
import type { Gyre } from '../../gyre.js';
import {
  PredictionLog,
  ServingMetrics,
  combineObservers,
  createModelServer,
  FeatureEnricher,
  type ModelServer,
  type PredictionObserver,
} from '../../serving/index.js';

/** A model server with its metrics and prediction log, built from a Gyre's configuration. */
export interface InferenceStack {
  server: ModelServer;
  registry: Registry;
  log: PredictionLog | undefined;
  /** Starts serving what is deployed and the log's timer. */
  start(): Promise<void>;
  /** Unloads models and writes everything the log still holds. */
  stop(): Promise<void>;
}

export interface InferenceStackOptions {
  /** Serve one model URI instead of the stored deployments. */
  model?: string;
  /** Serve only this stored deployment. */
  deployment?: string;
  /** Process metrics too (not inside `gyre up`, whose app collects them already). */
  processMetrics?: boolean;
  /** Tells this worker's log files apart. */
  fileTag?: string;
}

export function createInferenceStack(
  gyre: Gyre,
  options: InferenceStackOptions = {},
): InferenceStack {
  const settings = gyre.config.serving;
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'gyre_' });
  const observers: PredictionObserver[] = [new ServingMetrics(registry)];
  const log = settings.predictionLog.enabled
    ? new PredictionLog({
        artifacts: gyre.artifacts,
        flushIntervalMs: settings.predictionLog.flushIntervalMs,
        maxBufferedRows: settings.predictionLog.maxBufferedRows,
        sampleRate: settings.predictionLog.sampleRate,
        fileTag: options.fileTag,
        registry,
        logger: gyre.logger.child({ component: 'prediction-log' }),
        privacy: gyre.predictionLogPrivacy(),
      })
    : undefined;
  if (log) observers.push(log);
  const cursors = new KyselyCursorStore(gyre.db);
  const server = createModelServer({
    deployments: gyre.serving.deployments,
    loader: gyre.serving.loader,
    events: gyre.events,
    latestEventId: () => cursors.latestEventId(),
    model: options.model,
    deployment: options.deployment,
    pollIntervalMs: settings.pollIntervalMs,
    observer: combineObservers(...observers),
    enricher: new FeatureEnricher(gyre.features.online, registry),
    logger: gyre.logger.child({ component: 'model-server' }),
  });
  return {
    server,
    registry,
    log,
    async start() {
      await server.start();
      await log?.start();
    },
    async stop() {
      await server.stop();
      await log?.close();
    },
  };
}
