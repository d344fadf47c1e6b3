import { LRUCache } from 'lru-cache';
import { InvalidArgumentError, systemClock, type Clock } from '../../core/index.js';
import type { FeatureRegistry } from '../feature-registry.js';
import {
  entityKey,
  type OnlineRecord,
  type OnlineStore,
  type OnlineValue,
} from './online-store.js';

/** How one feature service reads the online store: computed once per service and cached. */
export interface ServicePlan {
  service: string;
  serviceVersion: number;
  /** Every join key a request must carry. */
  joinKeys: string[];
  /** The service's features in order, each with its view. */
  features: { name: string; view: string; type: string }[];
  views: { name: string; keyIndexes: number[]; features: string[]; ttlMs: number }[];
}

/** The features of one entity row; null where a value is missing or older than its TTL. */
export type FeatureRow = Record<string, OnlineValue>;

export interface OnlineLookup {
  rows: FeatureRow[];
  /** Per row, the features that had no fresh value. */
  missing: number;
  /** Per view, the event time of each row's values (undefined where none). */
  eventTimes: Record<string, (number | undefined)[]>;
}

export interface OnlineFeaturesOptions {
  clock?: Clock;
  /** Entries of the in-process cache (0 turns it off). */
  cacheMaxEntries?: number;
  /** How long a cached value (or a cached miss) is used before the store is read again. */
  cacheTtlMs?: number;
}

const NONE = 0 as const;
type Cached = OnlineRecord | typeof NONE;

/**
 * Reads a feature service's current values for entities. Lookups go through a bounded,
 * TTL'd in-process LRU cache, so a serving process asks the store once per entity per TTL;
 * when every entity of a request is cached the answer is synchronous (`cached`).
 */
export class OnlineFeatures {
  private readonly clock: Clock;
  private readonly cache: LRUCache<string, Cached> | undefined;
  private readonly plans: LRUCache<string, ServicePlan>;

  constructor(
    private readonly registry: FeatureRegistry,
    readonly store: OnlineStore,
    options: OnlineFeaturesOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    const max = options.cacheMaxEntries ?? 100_000;
    const ttl = options.cacheTtlMs ?? 5_000;
    this.cache = max > 0 ? new LRUCache<string, Cached>({ max, ttl }) : undefined;
    this.plans = new LRUCache<string, ServicePlan>({ max: 1000, ttl: Math.max(ttl, 1000) });
  }

  /** The service's plan: cached, so a serving process resolves it once per TTL. */
  async plan(service: string): Promise<ServicePlan> {
    const known = this.plans.get(service);
    if (known) return known;
    const resolved = await this.registry.resolveService(service);
    const plan: ServicePlan = {
      service: resolved.service.name,
      serviceVersion: resolved.service.version,
      joinKeys: resolved.joinKeys,
      features: resolved.features.map((f) => ({ name: f.feature, view: f.view, type: f.type })),
      views: await Promise.all(
        resolved.views.map(async (v) => ({
          name: v.name,
          keyIndexes: (await this.registry.joinKeysOf(v.definition)).map((k) =>
            resolved.joinKeys.indexOf(k),
          ),
          features: resolved.features.filter((f) => f.view === v.name).map((f) => f.feature),
          ttlMs: v.definition.ttl,
        })),
      ),
    };
    this.plans.set(service, plan);
    return plan;
  }

  /** The plan if it is cached (the serving hot path stays synchronous). */
  cachedPlan(service: string): ServicePlan | undefined {
    return this.plans.get(service);
  }

  /**
   * The features of each entity (its join key values in `plan.joinKeys` order) from the
   * cache alone, or undefined when any entity needs the store.
   */
  cached(plan: ServicePlan, keys: readonly (readonly unknown[])[]): OnlineLookup | undefined {
    const cache = this.cache;
    if (!cache) return undefined;
    const records: Record<string, (OnlineRecord | undefined)[]> = {};
    for (const view of plan.views) {
      const out = new Array<OnlineRecord | undefined>(keys.length);
      for (let r = 0; r < keys.length; r++) {
        const hit = cache.get(cacheKey(view.name, entityKeyOf(keys[r], view.keyIndexes)));
        if (hit === undefined) return undefined;
        out[r] = hit === NONE ? undefined : hit;
      }
      records[view.name] = out;
    }
    return this.assemble(plan, keys.length, records, this.clock.now());
  }

  /** The features of each entity, from the cache where it can and the store for the rest. */
  async lookup(
    plan: ServicePlan,
    keys: readonly (readonly unknown[])[],
    atMs?: number,
  ): Promise<OnlineLookup> {
    const records: Record<string, (OnlineRecord | undefined)[]> = {};
    await Promise.all(
      plan.views.map(async (view) => {
        const entityKeys = keys.map((k) => entityKeyOf(k, view.keyIndexes));
        const out = new Array<OnlineRecord | undefined>(keys.length);
        const wanted: number[] = [];
        for (let r = 0; r < keys.length; r++) {
          const hit = this.cache?.get(cacheKey(view.name, entityKeys[r]));
          if (hit === undefined) wanted.push(r);
          else out[r] = hit === NONE ? undefined : hit;
        }
        if (wanted.length > 0) {
          const read = await this.store.read(
            view.name,
            wanted.map((r) => entityKeys[r]),
          );
          wanted.forEach((r, i) => {
            out[r] = read[i];
            this.cache?.set(cacheKey(view.name, entityKeys[r]), read[i] ?? NONE);
          });
        }
        records[view.name] = out;
      }),
    );
    return this.assemble(plan, keys.length, records, atMs ?? this.clock.now());
  }

  /**
   * The REST API's and the SDK's lookup: entity rows as objects carrying the join keys; the
   * TTL is judged at `atMs` (default now).
   */
  async get(
    service: string,
    entities: readonly Record<string, unknown>[],
    atMs?: number,
  ): Promise<OnlineLookup & { service: string; features: string[] }> {
    const plan = await this.plan(service);
    const keys = entities.map((row, i) =>
      plan.joinKeys.map((k) => {
        const v = row[k];
        if (v === undefined || v === null || v === '')
          throw new InvalidArgumentError(`entities[${i}].${k}: the join key is missing`, {
            field: `entities[${i}].${k}`,
          });
        return v;
      }),
    );
    const result = await this.lookup(plan, keys, atMs);
    return { ...result, service: plan.service, features: plan.features.map((f) => f.name) };
  }

  /** Drops the cache (after a materialization in this process). */
  invalidate(): void {
    this.cache?.clear();
    this.plans.clear();
  }

  private assemble(
    plan: ServicePlan,
    n: number,
    records: Record<string, (OnlineRecord | undefined)[]>,
    at: number,
  ): OnlineLookup {
    const rows: FeatureRow[] = new Array<FeatureRow>(n);
    const eventTimes: Record<string, (number | undefined)[]> = {};
    let missing = 0;
    for (let r = 0; r < n; r++) rows[r] = {};
    for (const view of plan.views) {
      const recs = records[view.name];
      const times = new Array<number | undefined>(n);
      for (let r = 0; r < n; r++) {
        const rec = recs[r];
        // Fresh: not from the future and no older than the view's TTL (as in training sets).
        const fresh = rec !== undefined && rec.eventMs <= at && at - rec.eventMs <= view.ttlMs;
        times[r] = rec?.eventMs;
        for (const f of view.features) {
          const v = fresh ? (rec.values[f] ?? null) : null;
          if (v === null) missing++;
          rows[r][f] = v;
        }
      }
      eventTimes[view.name] = times;
    }
    return { rows, missing, eventTimes };
  }
}

function entityKeyOf(values: readonly unknown[], indexes: readonly number[]): string {
  return indexes.length === 1
    ? String(values[indexes[0]])
    : entityKey(indexes.map((i) => values[i]));
}

const cacheKey = (view: string, key: string) => `${view}\u0000${key}`;
