import type { Logger } from '../../core/index.js';
import type { EventStore } from '../../events/index.js';
import { MODEL_ALIAS_CHANGED, MODEL_VERSION_CREATED, parseModelUri } from '../../registry/index.js';
import type { DeploymentService } from '../deployments/deployment-service.js';
import {
  DEPLOYMENT_DELETED,
  DEPLOYMENT_REVISED,
  type DeploymentSpec,
} from '../deployments/deployment-types.js';
import type { ModelLoader } from '../loader/model-loader.js';
import { EventTail } from './event-tail.js';
import type { RevisionToServe } from './live-deployment.js';

/** Where a model server learns what to serve. */
export interface DeploymentFeed {
  /** Hands the current state to `sink`, then every change until stop(). */
  start(sink: FeedSink): Promise<void>;
  stop(): Promise<void>;
  /** Catches up with everything written so far (tests, and before reporting ready). */
  sync(): Promise<void>;
}

export interface FeedSink {
  apply(revision: RevisionToServe): Promise<void>;
  remove(deployment: string): Promise<void>;
}

export interface FeedOptions {
  events: EventStore;
  /** The newest event id now (a tail starts after it). */
  latestEventId(): Promise<number>;
  pollIntervalMs: number;
  logger: Logger;
}

/**
 * Every stored deployment — or only `only` (a model-server pod on Kubernetes serves one) —
 * following `deployment.revised` / `deployment.deleted`.
 */
export class StoredDeploymentsFeed implements DeploymentFeed {
  private tail: EventTail | undefined;

  constructor(
    private readonly deployments: DeploymentService,
    private readonly options: FeedOptions & { only?: string },
  ) {}

  async start(sink: FeedSink): Promise<void> {
    // Note the position first: a change made while listing is then seen twice, never missed
    // (applying a revision already serving does nothing).
    const from = await this.options.latestEventId();
    const wanted = (name: string) => this.options.only === undefined || name === this.options.only;
    for (const d of await this.deployments.list()) if (wanted(d.name)) await sink.apply(d.current);
    this.tail = new EventTail({
      ...this.options,
      from,
      types: [DEPLOYMENT_REVISED, DEPLOYMENT_DELETED],
      handle: async (event) => {
        const name = String(event.payload.name);
        if (!wanted(name)) return;
        if (event.type === DEPLOYMENT_DELETED) return sink.remove(name);
        const current = await this.deployments.get(name).catch(() => undefined);
        if (current) await sink.apply(current.current);
      },
    });
    this.tail.start();
  }

  sync(): Promise<void> {
    return this.tail?.wake() ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.tail?.stop();
  }
}

/**
 * One model served without a stored deployment (`gyre serve models:/housing@champion`, like
 * `mlflow models serve -m`). A model URI that names an alias or `latest` keeps following it.
 */
export class SingleModelFeed implements DeploymentFeed {
  private tail: EventTail | undefined;
  private revision = 0;
  private key: string | undefined;
  readonly deployment: string;

  constructor(
    private readonly uri: string,
    private readonly loader: ModelLoader,
    private readonly options: FeedOptions,
  ) {
    const parsed = parseModelUri(uri);
    this.deployment = parsed.kind === 'run' ? 'model' : parsed.name;
  }

  async start(sink: FeedSink): Promise<void> {
    const from = await this.options.latestEventId();
    await this.refresh(sink, true);
    const parsed = parseModelUri(this.uri);
    if (parsed.kind !== 'alias' && parsed.kind !== 'latest' && parsed.kind !== 'stage') return;
    this.tail = new EventTail({
      ...this.options,
      from,
      types: [MODEL_ALIAS_CHANGED, MODEL_VERSION_CREATED],
      handle: async (event) => {
        if (event.payload.name === parsed.name) await this.refresh(sink, false);
      },
    });
    this.tail.start();
  }

  private async refresh(sink: FeedSink, first: boolean): Promise<void> {
    const resolved = await this.loader
      .inspect(await this.loader.resolve(this.uri))
      .catch((error: unknown) => {
        if (first) throw error;
        this.options.logger.warn(
          { err: error, uri: this.uri },
          'could not re-resolve the served model',
        );
        return undefined;
      });
    if (!resolved || resolved.key === this.key) return;
    this.key = resolved.key;
    const spec: DeploymentSpec = {
      mode: 'single',
      routes: [{ model: this.uri, role: 'primary', weight: 100 }],
      unknownCategory: 'ignore',
    };
    const { manifest: _m, flavors: _f, ...route } = resolved;
    await sink.apply({
      deployment: this.deployment,
      revision: ++this.revision,
      spec,
      routes: [{ ...route, model: this.uri, role: 'primary', weight: 100 }],
    });
  }

  sync(): Promise<void> {
    return this.tail?.wake() ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.tail?.stop();
  }
}
