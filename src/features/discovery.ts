import { systemClock, type Clock } from '../core/index.js';
import type { ColumnProfile, DataServices } from '../data/index.js';
import type {
  FeatureServiceDefinition,
  FeatureViewDefinition,
} from './definitions/definition-schema.js';
import type { FeatureRegistry } from './feature-registry.js';
import { refOf, sourceRefs } from './offline/view-tables.js';
import type { KyselyFeatureStore, Materialization, StoredDefinition } from './store.js';

/** A deployment that enriches requests from a feature service (wired from serving). */
export interface FeatureDeployment {
  deployment: string;
  service: string;
  /** The models it routes to, e.g. `fraud/3`. */
  models: string[];
}

/** What the features domain learns about deployments through a port (serving comes later). */
export interface FeatureUsage {
  deploymentsUsing(services: readonly string[]): Promise<FeatureDeployment[]>;
}

export interface ViewFreshness {
  /** When the view was last materialized (epoch ms). */
  lastMaterializedAt?: number;
  /** The newest event time in the online store from that materialization. */
  latestEventMs?: number;
  /** Now minus the newest event time: how far the online values trail real time. */
  lagMs?: number;
}

/** Everything known about one feature view: definition, provenance, use and freshness. */
export interface FeatureViewDetail {
  view: StoredDefinition<FeatureViewDefinition>;
  versions: number;
  joinKeys: string[];
  /** The dataset versions the view reads now (`name@version`). */
  sources: string[];
  /** The feature services selecting any of its features. */
  services: string[];
  deployments: FeatureDeployment[];
  /** Training sets built from it, and the model versions trained on them. */
  trainingSets: string[];
  models: string[];
  freshness: ViewFreshness;
  materializations: Materialization[];
  /** Each feature's profile in its source dataset version, when it is a column there. */
  profiles: Record<string, ColumnProfile>;
}

export class FeatureDiscovery {
  private readonly clock: Clock;

  constructor(
    private readonly registry: FeatureRegistry,
    private readonly store: KyselyFeatureStore,
    private readonly data: DataServices,
    private readonly usage: FeatureUsage | undefined,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  async freshness(view: string): Promise<ViewFreshness> {
    const [last] = await this.store.materializations(view, 1);
    if (!last) return {};
    return {
      lastMaterializedAt: last.createdAt,
      ...(last.maxEventMs !== undefined
        ? { latestEventMs: last.maxEventMs, lagMs: this.clock.now() - last.maxEventMs }
        : {}),
    };
  }

  async describeView(name: string): Promise<FeatureViewDetail> {
    const view = await this.registry.get('feature_view', name);
    const [history, joinKeys, services, materializations] = await Promise.all([
      this.registry.history('feature_view', name),
      this.registry.joinKeysOf(view.definition),
      this.registry.services(),
      this.store.materializations(name, 10),
    ]);
    const sources: string[] = [];
    const profiles: Record<string, ColumnProfile> = {};
    for (const ref of sourceRefs(view.definition)) {
      const version = await this.data.datasets.getVersion(ref).catch(() => undefined);
      if (!version) continue;
      sources.push(refOf(version));
      const profile = await this.data.datasets.store.getProfile(version.id);
      for (const column of profile?.columns ?? [])
        if (view.definition.features.some((f) => f.name === column.name))
          profiles[column.name] = column;
    }
    const using = services.filter((s) => selects(s.definition, name)).map((s) => s.name);
    const trainingSets: string[] = [];
    const models = new Set<string>();
    for (const transform of await this.data.datasets.store.listTransforms('features')) {
      const views = (transform.spec.views ?? {}) as Record<string, number>;
      if (!(name in views)) continue;
      for (const v of await this.data.datasets.store.listVersionsByTransform(transform.id)) {
        const ref = refOf(v);
        trainingSets.push(ref);
        const graph = await this.data.lineage.graph('dataset', ref, 'down').catch(() => undefined);
        for (const node of graph?.nodes ?? [])
          if (node.kind === 'model_version') models.add(node.label);
      }
    }
    const deployments = this.usage ? await this.usage.deploymentsUsing(using) : [];
    return {
      view,
      versions: history.length,
      joinKeys,
      sources,
      services: using,
      deployments,
      trainingSets,
      models: [...models],
      freshness: await this.freshness(name),
      materializations,
      profiles,
    };
  }
}

function selects(service: FeatureServiceDefinition, view: string): boolean {
  return service.features.some((f) => f.split(':')[0] === view);
}
