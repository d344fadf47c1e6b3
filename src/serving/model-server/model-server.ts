import { performance } from 'node:perf_hooks';
import { GyreError, NotFoundError, silentLogger, type Logger } from '../../core/index.js';
import type { FeatureEnricher } from '../enrichment/feature-enricher.js';
import type { ModelLoader } from '../loader/model-loader.js';
import type { FeatureBatch } from '../runtimes/model-runtime.js';
import type { CompiledSignature } from '../signature/compiled-signature.js';
import type { DeploymentFeed } from './deployment-feed.js';
import { LiveDeployment, type RevisionToServe } from './live-deployment.js';
import type { PredictionObserver } from './prediction-observer.js';
import type { RoutingTable, ServedRoute } from './routing-table.js';
import { RuntimePool } from './runtime-pool.js';

/** Turns a protocol's parsed request into rows for one signature (protocol adapters). */
export interface BatchDecoder<Body> {
  decode(body: Body, signature: CompiledSignature): FeatureBatch;
}

/** Per-request facts the server needs besides the body. */
export interface InferenceCall {
  requestId: string;
  /** The A/B routing key, when the deployment routes by one. */
  routingKey: string | undefined;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  /** OIP's `/versions/{v}`: answer with exactly this version. */
  version?: string;
}

export interface InferenceResult {
  route: ServedRoute;
  batch: FeatureBatch;
  /** numRows × numOutputs, row-major. */
  predictions: Float64Array;
}

export interface ModelServerOptions {
  loader: ModelLoader;
  feed: DeploymentFeed;
  observer?: PredictionObserver;
  /** Fills the inputs of deployments that name a feature service from the online store. */
  enricher?: FeatureEnricher;
  logger?: Logger;
}

/**
 * Serves deployments: follows a feed of revisions, keeps each deployment's routing table
 * swapped atomically (see LiveDeployment), and answers inference calls through the route a
 * request is given. Shadows get a copy after the answer, on a later turn of the event loop.
 */
export class ModelServer {
  private readonly live = new Map<string, LiveDeployment>();
  private readonly pool: RuntimePool;
  private readonly logger: Logger;
  private readonly observer: PredictionObserver | undefined;
  private started = false;

  constructor(private readonly options: ModelServerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer;
    this.pool = new RuntimePool(options.loader, this.logger);
  }

  /** Loads what the feed says is deployed now, then follows its changes. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.options.feed.start({
      apply: (revision) => this.apply(revision),
      remove: (name) => this.remove(name),
    });
  }

  /** Applies every change written so far (a test's way to wait for a swap). */
  sync(): Promise<void> {
    return this.options.feed.sync();
  }

  /** Stops following changes, drains every deployment and unloads its models. */
  async stop(): Promise<void> {
    await this.options.feed.stop();
    await Promise.all([...this.live.values()].map((d) => d.close()));
    this.live.clear();
  }

  /** The routing table a deployment serves now (hot path: a map lookup). */
  table(name: string): RoutingTable | undefined {
    return this.live.get(name)?.table;
  }

  /** Every deployment with its table (undefined while the first revision is loading or failed). */
  deployments(): { name: string; table: RoutingTable | undefined; lastError?: string }[] {
    return [...this.live.values()].map((d) => ({
      name: d.name,
      table: d.table,
      ...(d.lastError ? { lastError: d.lastError } : {}),
    }));
  }

  /** Counts a request that failed before it reached a model (a body that does not parse). */
  reportError(name: string, code: string): void {
    this.observer?.onError(this.label(name), code);
  }

  /** Names from URLs label metrics only when they are deployments: cardinality stays bounded. */
  private label(name: string): string {
    return this.live.has(name) ? name : '(unknown)';
  }

  /** True when every known deployment has a revision serving. */
  get ready(): boolean {
    return this.started && [...this.live.values()].every((d) => d.table !== undefined);
  }

  /**
   * Answers one request: pick the route, decode and validate for its signature, predict,
   * report. Synchronous runtimes answer synchronously (no promise on the hot path); bad input
   * throws InvalidArgumentError naming the column.
   */
  infer<Body>(
    name: string,
    decoder: BatchDecoder<Body>,
    body: Body,
    call: InferenceCall,
  ): InferenceResult | Promise<InferenceResult> {
    const table = this.live.get(name)?.table;
    if (table === undefined) {
      const error = this.live.has(name)
        ? new GyreError('UNAVAILABLE', `deployment ${name} is not ready`)
        : new NotFoundError(`deployment ${name} is not served here`, { deployment: name });
      this.observer?.onError(this.label(name), error.code);
      throw error;
    }
    let route: ServedRoute | undefined;
    if (call.version === undefined) route = table.pick(call.routingKey);
    else {
      route = table.byVersion(call.version);
      if (!route) {
        this.observer?.onError(name, 'NOT_FOUND');
        throw new NotFoundError(`deployment ${name} does not serve version ${call.version}`, {
          deployment: name,
          version: call.version,
        });
      }
    }
    let decoded: FeatureBatch | Promise<FeatureBatch>;
    try {
      decoded = this.decode(table, route, decoder, body);
    } catch (error) {
      this.observer?.onError(name, (error as GyreError).code ?? 'INTERNAL');
      throw error;
    }
    if (decoded instanceof Promise)
      return decoded.then(
        (batch) => this.predict(table, route, batch, call, decoder, body),
        (error: unknown) => {
          this.observer?.onError(name, (error as GyreError).code ?? 'INTERNAL');
          throw error;
        },
      );
    return this.predict(table, route, decoded, call, decoder, body);
  }

  /** The request's rows for a route, enriched from the feature store when the deployment says so. */
  private decode<Body>(
    table: RoutingTable,
    route: ServedRoute,
    decoder: BatchDecoder<Body>,
    body: Body,
  ): FeatureBatch | Promise<FeatureBatch> {
    const service = table.featureService;
    if (service === undefined || this.options.enricher === undefined)
      return decoder.decode(body, route.signature);
    return this.options.enricher.decode(table.deployment, service, decoder, body, route.signature);
  }

  private predict<Body>(
    table: RoutingTable,
    route: ServedRoute,
    batch: FeatureBatch,
    call: InferenceCall,
    decoder: BatchDecoder<Body>,
    body: Body,
  ): InferenceResult | Promise<InferenceResult> {
    const name = table.deployment;
    try {
      route.signature.validate(batch);
    } catch (error) {
      this.observer?.onError(name, (error as GyreError).code ?? 'INTERNAL');
      throw error;
    }
    const predictions = new Float64Array(batch.numRows * route.signature.numOutputs);
    table.inflight++;
    let pending: void | Promise<void>;
    try {
      pending = route.model.runtime.predict(batch, predictions);
    } catch (error) {
      table.release();
      this.observer?.onError(name, 'INTERNAL');
      throw error;
    }
    if (pending === undefined)
      return this.answered(table, route, batch, predictions, call, decoder, body);
    return pending.then(
      () => this.answered(table, route, batch, predictions, call, decoder, body),
      (error: unknown) => {
        table.release();
        this.observer?.onError(name, 'INTERNAL');
        throw error;
      },
    );
  }

  private answered<Body>(
    table: RoutingTable,
    route: ServedRoute,
    batch: FeatureBatch,
    predictions: Float64Array,
    call: InferenceCall,
    decoder: BatchDecoder<Body>,
    body: Body,
  ): InferenceResult {
    table.release();
    this.observer?.onPrediction({
      deployment: table.deployment,
      route,
      requestId: call.requestId,
      routingKey: call.routingKey,
      batch,
      predictions,
      latencyMs: performance.now() - call.startedAt,
      timestamp: Date.now(),
    });
    const shadow = table.shadow;
    if (shadow !== undefined) {
      table.inflight++;
      setImmediate(() => void this.shadowCopy(table, shadow, decoder, body, call));
    }
    return { route, batch, predictions };
  }

  /** Runs a shadow's copy of a request; its outcome is observed, never returned. */
  private async shadowCopy<Body>(
    table: RoutingTable,
    shadow: ServedRoute,
    decoder: BatchDecoder<Body>,
    body: Body,
    call: InferenceCall,
  ): Promise<void> {
    try {
      const batch = await this.decode(table, shadow, decoder, body);
      shadow.signature.validate(batch);
      const predictions = new Float64Array(batch.numRows * shadow.signature.numOutputs);
      await shadow.model.runtime.predict(batch, predictions);
      this.observer?.onPrediction({
        deployment: table.deployment,
        route: shadow,
        requestId: call.requestId,
        routingKey: call.routingKey,
        batch,
        predictions,
        latencyMs: performance.now() - call.startedAt,
        timestamp: Date.now(),
      });
    } catch (error) {
      this.observer?.onError(table.deployment, `SHADOW_${(error as GyreError).code ?? 'INTERNAL'}`);
      this.logger.debug({ err: error, deployment: table.deployment }, 'shadow prediction failed');
    } finally {
      table.release();
    }
  }

  private async apply(revision: RevisionToServe): Promise<void> {
    let deployment = this.live.get(revision.deployment);
    if (!deployment) {
      deployment = new LiveDeployment(revision.deployment, this.pool, this.observer, this.logger);
      this.live.set(revision.deployment, deployment);
    }
    await deployment.apply(revision);
  }

  private async remove(name: string): Promise<void> {
    const deployment = this.live.get(name);
    if (!deployment) return;
    this.live.delete(name);
    await deployment.close();
  }
}
