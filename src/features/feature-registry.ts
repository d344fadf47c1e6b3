import { NotFoundError, systemClock, type Clock } from '../core/index.js';
import {
  checkReferences,
  emptySet,
  selectFeatures,
  type DefinitionSet,
  type SelectedFeature,
} from './definitions/check-references.js';
import { contentDigest } from './definitions/content-digest.js';
import type {
  Definition,
  DefinitionKind,
  EntityDefinition,
  FeatureServiceDefinition,
  FeatureViewDefinition,
} from './definitions/definition-schema.js';
import { definitionsError } from './definitions/parse-definitions.js';
import type { KyselyFeatureStore, StoredDefinition } from './store.js';

/** What an apply does (or would do) to one definition. */
export interface PlanItem {
  kind: DefinitionKind;
  name: string;
  change: 'added' | 'changed' | 'unchanged';
  /** The version it has after the apply (the current one when unchanged). */
  version: number;
  digest: string;
}

export interface ApplyResult {
  plan: PlanItem[];
  /** False for a dry run (`--plan`): nothing was written. */
  applied: boolean;
}

/** Filters for listing feature views; all given ones must match. */
export interface ViewFilter {
  /** A substring of the name (case-insensitive). */
  name?: string;
  /** `key` or `key=value`. */
  tag?: string;
  owner?: string;
  entity?: string;
  /** A substring of the name, description or a feature's name. */
  query?: string;
}

/** A feature service resolved to its views (the versions current now) and features. */
export interface ResolvedService {
  service: StoredDefinition<FeatureServiceDefinition>;
  views: StoredDefinition<FeatureViewDefinition>[];
  features: SelectedFeature[];
  /** Join keys of every entity the views describe, in first-seen order. */
  joinKeys: string[];
}

const located = (d: Definition) => `${d.kind} ${d.name}`;

/**
 * Entities, feature views and feature services: applied as a set, versioned by content.
 * Applying definitions appends a version of each one whose content changed; an unchanged one
 * keeps its version, so applying the same directory twice writes nothing.
 */
export class FeatureRegistry {
  private readonly clock: Clock;

  constructor(
    readonly store: KyselyFeatureStore,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /** Validates the definitions against what is registered and returns (or applies) the plan. */
  async apply(
    definitions: readonly Definition[],
    options: { createdBy?: string; dryRun?: boolean; fileOf?: (d: Definition) => string } = {},
  ): Promise<ApplyResult> {
    const current = await this.store.latest();
    const set = emptySet();
    const add = (d: Definition, into: DefinitionSet) => {
      if (d.kind === 'entity') into.entities.set(d.name, d);
      else if (d.kind === 'feature_view') into.views.set(d.name, d);
      else into.services.set(d.name, d);
    };
    for (const s of current) add(s.definition, set);
    for (const d of definitions) add(d, set);
    const issues = checkReferences(set, options.fileOf ?? located);
    if (issues.length > 0) throw definitionsError(issues);

    const byKey = new Map(current.map((s) => [`${s.kind}/${s.name}`, s]));
    const plan: PlanItem[] = [];
    const changed: { definition: Definition; digest: string; at: number }[] = [];
    for (const definition of definitions) {
      const digest = contentDigest(definition);
      const existing = byKey.get(`${definition.kind}/${definition.name}`);
      const change = !existing ? 'added' : existing.digest === digest ? 'unchanged' : 'changed';
      if (change !== 'unchanged') changed.push({ definition, digest, at: plan.length });
      plan.push({
        kind: definition.kind,
        name: definition.name,
        change,
        version: existing ? existing.version + (change === 'unchanged' ? 0 : 1) : 1,
        digest,
      });
    }
    if (options.dryRun || changed.length === 0) return { plan, applied: false };
    const stored = await this.store.append(
      changed.map((c) => ({
        definition: c.definition,
        digest: c.digest,
        createdBy: options.createdBy ?? 'unknown',
      })),
      this.clock.now(),
    );
    changed.forEach((c, i) => (plan[c.at].version = stored[i].version));
    return { plan, applied: true };
  }

  async entities(): Promise<StoredDefinition<EntityDefinition>[]> {
    return (await this.store.latest('entity')) as StoredDefinition<EntityDefinition>[];
  }

  async services(): Promise<StoredDefinition<FeatureServiceDefinition>[]> {
    return (await this.store.latest(
      'feature_service',
    )) as StoredDefinition<FeatureServiceDefinition>[];
  }

  /** Feature views (their current versions) matching every given filter. */
  async views(filter: ViewFilter = {}): Promise<StoredDefinition<FeatureViewDefinition>[]> {
    const all = (await this.store.latest(
      'feature_view',
    )) as StoredDefinition<FeatureViewDefinition>[];
    const [tagKey, tagValue] = filter.tag?.split('=', 2) ?? [];
    const has = (text: string | undefined, part: string) =>
      text !== undefined && text.toLowerCase().includes(part.toLowerCase());
    return all.filter(({ definition: v }) => {
      if (filter.name && !has(v.name, filter.name)) return false;
      if (filter.owner && v.owner !== filter.owner) return false;
      if (filter.entity && !v.entities.includes(filter.entity)) return false;
      if (tagKey !== undefined) {
        if (!(tagKey in v.tags)) return false;
        if (tagValue !== undefined && v.tags[tagKey] !== tagValue) return false;
      }
      if (
        filter.query &&
        !has(v.name, filter.query) &&
        !has(v.description, filter.query) &&
        !v.features.some((f) => has(f.name, filter.query!) || has(f.description, filter.query!))
      )
        return false;
      return true;
    });
  }

  async get<K extends DefinitionKind>(
    kind: K,
    name: string,
    version?: number,
  ): Promise<StoredDefinition<Extract<Definition, { kind: K }>>> {
    const found = await this.store.get(kind, name, version);
    if (!found)
      throw new NotFoundError(
        `${kind.replace('_', ' ')} ${name}${version !== undefined ? ` version ${version}` : ''} does not exist`,
        { [kind]: name },
      );
    return found as StoredDefinition<Extract<Definition, { kind: K }>>;
  }

  async history(kind: DefinitionKind, name: string): Promise<StoredDefinition[]> {
    const all = await this.store.history(kind, name);
    if (all.length === 0) await this.get(kind, name);
    return all;
  }

  /** A service with its current views, selected features and the join keys a request needs. */
  async resolveService(name: string): Promise<ResolvedService> {
    const service = await this.get('feature_service', name);
    const viewNames = [...new Set(service.definition.features.map((f) => f.split(':')[0]))];
    const views = await Promise.all(viewNames.map((v) => this.get('feature_view', v)));
    const entities = new Map((await this.entities()).map((e) => [e.name, e.definition]));
    const joinKeys: string[] = [];
    for (const v of views)
      for (const e of v.definition.entities)
        for (const k of entities.get(e)?.joinKeys ?? [])
          if (!joinKeys.includes(k)) joinKeys.push(k);
    const features = selectFeatures(
      service.definition,
      new Map(views.map((v) => [v.name, v.definition])),
    );
    return { service, views, features, joinKeys };
  }

  /** The join keys of a view's entities. */
  async joinKeysOf(view: FeatureViewDefinition): Promise<string[]> {
    const keys: string[] = [];
    for (const e of view.entities)
      for (const k of (await this.get('entity', e)).definition.joinKeys)
        if (!keys.includes(k)) keys.push(k);
    return keys;
  }
}
