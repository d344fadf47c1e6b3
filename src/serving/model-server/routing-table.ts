import type { LoadedModel } from '../loader/model-loader.js';
import type { DeploymentSpec, RouteRole, RoutingKeySpec } from '../deployments/deployment-types.js';
import { TrafficSplit } from '../router/traffic-split.js';
import { CompiledSignature } from '../signature/compiled-signature.js';

/** One model a deployment routes to, loaded and ready. */
export interface ServedRoute {
  readonly role: RouteRole;
  readonly weight: number;
  readonly model: LoadedModel;
  /** What `x-gyre-model-version` and protocol responses say: `3`, or the model's key. */
  readonly version: string;
  readonly signature: CompiledSignature;
}

/**
 * An immutable snapshot of how one deployment revision routes requests. A swap builds a new
 * table and replaces the reference in one assignment: a request sees the old table or the
 * new, never a mix. `inflight` counts requests still using this table, so the old one can be
 * drained before its models are unloaded.
 */
export class RoutingTable {
  readonly primary: ServedRoute;
  readonly shadow: ServedRoute | undefined;
  inflight = 0;
  /** The feature service requests are enriched from, when the deployment names one. */
  readonly featureService: string | undefined;
  private readonly split: TrafficSplit<ServedRoute> | undefined;
  private readonly sticky: boolean;
  private drainWaiters: (() => void)[] = [];

  constructor(
    readonly deployment: string,
    readonly revision: number,
    readonly routes: readonly ServedRoute[],
    readonly routingKey: RoutingKeySpec | undefined,
    mode: DeploymentSpec['mode'],
    featureService?: string,
  ) {
    this.featureService = featureService || undefined;
    this.primary = routes.find((r) => r.role === 'primary')!;
    this.shadow = routes.find((r) => r.role === 'shadow');
    const answering = routes.filter((r) => r.role !== 'shadow' && r.weight > 0);
    this.split =
      answering.length > 1
        ? new TrafficSplit(answering.map((r) => ({ target: r, weight: r.weight })))
        : undefined;
    this.sticky = mode === 'ab';
  }

  /** The route that answers a request; A/B routes by key when one was sent. */
  pick(key: string | undefined): ServedRoute {
    const split = this.split;
    if (split === undefined) return this.primary;
    return this.sticky && key !== undefined ? split.forKey(key) : split.next();
  }

  /** The answering route serving `version` (OIP's `/versions/{v}`), if any. */
  byVersion(version: string): ServedRoute | undefined {
    return this.routes.find((r) => r.role !== 'shadow' && r.version === version);
  }

  /** Marks a request done with this table. */
  release(): void {
    if (--this.inflight === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves when no request uses this table any more. */
  drained(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
}

export function servedRoute(
  role: RouteRole,
  weight: number,
  model: LoadedModel,
  spec: DeploymentSpec,
): ServedRoute {
  return {
    role,
    weight,
    model,
    version: model.version !== undefined ? String(model.version) : model.key,
    signature: new CompiledSignature(model.runtime.signature, spec.unknownCategory),
  };
}
