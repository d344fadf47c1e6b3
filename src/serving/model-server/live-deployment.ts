import type { Logger } from '../../core/index.js';
import type { DeploymentSpec, ResolvedRoute } from '../deployments/deployment-types.js';
import type { LoadedModel } from '../loader/model-loader.js';
import type { PredictionObserver } from './prediction-observer.js';
import { RoutingTable, servedRoute } from './routing-table.js';
import type { RuntimePool } from './runtime-pool.js';

/** A deployment revision as a server needs it. */
export interface RevisionToServe {
  deployment: string;
  revision: number;
  spec: DeploymentSpec;
  routes: readonly ResolvedRoute[];
}

/**
 * One deployment as a server runs it. Revisions apply one at a time: the new revision's
 * models load and warm while the old table keeps answering; then the table reference is
 * swapped in one assignment, the old table drains, and models no route uses any more are
 * unloaded. A revision that fails to load leaves the old one serving.
 */
export class LiveDeployment {
  /** The table requests use now; undefined until a first revision loaded. */
  table: RoutingTable | undefined;
  /** Why the newest revision is not serving, when it failed to load. */
  lastError: string | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly pool: RuntimePool,
    private readonly observer: PredictionObserver | undefined,
    private readonly logger: Logger,
  ) {}

  apply(revision: RevisionToServe): Promise<void> {
    this.queue = this.queue.then(() => this.swap(revision));
    return this.queue;
  }

  /** Stops serving: drains and releases every model. */
  close(): Promise<void> {
    this.queue = this.queue.then(async () => {
      const old = this.table;
      this.table = undefined;
      if (old) await this.retire(old);
    });
    return this.queue;
  }

  private async swap(revision: RevisionToServe): Promise<void> {
    if (this.table && revision.revision <= this.table.revision) return;
    const loaded: LoadedModel[] = [];
    try {
      for (const route of revision.routes)
        loaded.push(await this.pool.acquire({ ...route, uri: route.model }));
    } catch (error) {
      await Promise.all(loaded.map((m) => this.pool.release(m.key)));
      this.lastError = (error as Error).message;
      this.logger.error(
        { err: error, deployment: this.name, revision: revision.revision },
        'revision failed to load; the previous one keeps serving',
      );
      return;
    }
    const routes = revision.routes.map((r, i) =>
      servedRoute(r.role, r.weight, loaded[i], revision.spec),
    );
    const next = new RoutingTable(
      this.name,
      revision.revision,
      routes,
      revision.spec.routingKey,
      revision.spec.mode,
      revision.spec.featureService,
    );
    const old = this.table;
    this.table = next;
    this.lastError = undefined;
    this.logger.info(
      {
        deployment: this.name,
        revision: revision.revision,
        routes: routes.map((r) => `${r.role}:${r.model.key}@${r.weight}`),
      },
      'deployment serving revision',
    );
    if (old) await this.retire(old, next);
  }

  /** Drains a table no request will pick again and lets go of its models. */
  private async retire(table: RoutingTable, next?: RoutingTable): Promise<void> {
    await table.drained();
    const kept = new Set(next?.routes.map((r) => r.model.key));
    for (const route of table.routes) {
      // Metrics of a version that still serves keep counting: no reset, no gap.
      if (!kept.has(route.model.key)) this.observer?.onRouteRetired?.(this.name, route);
      await this.pool.release(route.model.key);
    }
  }
}
