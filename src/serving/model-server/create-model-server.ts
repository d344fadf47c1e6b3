import type { Logger } from '../../core/index.js';
import type { EventStore } from '../../events/index.js';
import type { FeatureEnricher } from '../enrichment/feature-enricher.js';
import type { DeploymentService } from '../deployments/deployment-service.js';
import type { ModelLoader } from '../loader/model-loader.js';
import { SingleModelFeed, StoredDeploymentsFeed } from './deployment-feed.js';
import { ModelServer } from './model-server.js';
import type { PredictionObserver } from './prediction-observer.js';

export interface CreateModelServerOptions {
  deployments: DeploymentService;
  loader: ModelLoader;
  events: EventStore;
  /** The newest event id now: the server follows changes from there. */
  latestEventId(): Promise<number>;
  /** Serve this one model URI instead of the stored deployments. */
  model?: string;
  /** Serve only this stored deployment (one per pod on Kubernetes). */
  deployment?: string;
  /** How often to look for changes other processes made (milliseconds). */
  pollIntervalMs: number;
  observer?: PredictionObserver;
  /** Enriches requests of deployments that name a feature service. */
  enricher?: FeatureEnricher;
  logger: Logger;
}

/** A model server over the stored deployments, or over one model URI. */
export function createModelServer(options: CreateModelServerOptions): ModelServer {
  const feedOptions = {
    events: options.events,
    latestEventId: options.latestEventId,
    pollIntervalMs: options.pollIntervalMs,
    logger: options.logger,
  };
  const feed = options.model
    ? new SingleModelFeed(options.model, options.loader, feedOptions)
    : new StoredDeploymentsFeed(options.deployments, { ...feedOptions, only: options.deployment });
  return new ModelServer({
    loader: options.loader,
    feed,
    observer: options.observer,
    enricher: options.enricher,
    logger: options.logger,
  });
}
