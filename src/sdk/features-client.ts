import type { HttpClient } from './http-client.js';

// Wire shapes of the feature store API; the SDK does not import the features domain.
export type Json = Record<string, unknown>;

/** What an apply did (or would do) to one definition. */
export interface ApiPlanItem {
  kind: 'entity' | 'feature_view' | 'feature_service';
  name: string;
  change: 'added' | 'changed' | 'unchanged';
  version: number;
  digest: string;
}

/** One feature service's online values for one entity. */
export interface ApiOnlineFeatures {
  service: string;
  entity: Record<string, unknown>;
  /** Feature name → value; null where no fresh value exists. */
  features: Record<string, number | string | boolean | null>;
  missing: number;
  /** View → event time of the values read (epoch ms), null where none. */
  eventTimes: Record<string, number | null>;
}

export interface ApiViewFilter {
  name?: string;
  tag?: string;
  owner?: string;
  entity?: string;
  q?: string;
}

const enc = encodeURIComponent;

/** Typed access to the feature store (`/api/v1/features/...`). */
export class FeaturesClient {
  constructor(private readonly http: HttpClient) {}

  /** Registers definitions (objects shaped like the YAML files); `dryRun` only plans. */
  apply(
    definitions: Json[],
    options: { dryRun?: boolean } = {},
  ): Promise<{ plan: ApiPlanItem[]; applied: boolean }> {
    return this.http.request('POST', '/api/v1/features/apply', {
      body: { definitions, ...(options.dryRun ? { dryRun: true } : {}) },
    });
  }

  listViews(filter: ApiViewFilter = {}): Promise<{ views: Json[] }> {
    return this.http.request('GET', '/api/v1/features/views', { query: { ...filter } });
  }

  /** A view with its sources, services, deployments, models, freshness and profiles. */
  getView(name: string): Promise<Json> {
    return this.http.request('GET', `/api/v1/features/views/${enc(name)}`);
  }

  listEntities(): Promise<{ entities: Json[] }> {
    return this.http.request('GET', '/api/v1/features/entities');
  }

  listServices(): Promise<{ services: Json[] }> {
    return this.http.request('GET', '/api/v1/features/services');
  }

  getService(name: string): Promise<Json> {
    return this.http.request('GET', `/api/v1/features/services/${enc(name)}`);
  }

  /** A point-in-time training set from entity rows in a dataset version (`rows@2`). */
  trainingSet(request: {
    service: string;
    entities: string;
    timestampColumn?: string;
    dataset?: string;
  }): Promise<{
    version: Json;
    created: boolean;
    rows: number;
    columns: string[];
    sources: string[];
  }> {
    return this.http.request('POST', '/api/v1/features/training-sets', { body: request });
  }

  materialize(
    request: { views?: string[]; start?: number | string; end?: number | string } = {},
  ): Promise<{ materializations: Json[] }> {
    return this.http.request('POST', '/api/v1/features/materialize', { body: request });
  }

  /**
   * A service's online values for one entity: a value for its single join key, or an object
   * of join key values.
   */
  online(
    service: string,
    entity: string | number | Record<string, string | number>,
    options: { at?: number | string } = {},
  ): Promise<ApiOnlineFeatures> {
    const keys =
      typeof entity === 'object'
        ? Object.fromEntries(Object.entries(entity).map(([k, v]) => [k, String(v)]))
        : { entity: String(entity) };
    return this.http.request('GET', '/api/v1/features/online', {
      query: { service, ...keys, ...(options.at !== undefined ? { at: options.at } : {}) },
    });
  }

  /** Online values for several entities in one call. */
  onlineMany(
    service: string,
    entities: Record<string, string | number>[],
  ): Promise<{
    rows: Record<string, number | string | boolean | null>[];
    missing: number;
    features: string[];
  }> {
    return this.http.request('POST', '/api/v1/features/online', { body: { service, entities } });
  }
}

// Definitions as TypeScript: the YAML files' shapes, typed. The server validates them on
// apply (every problem named by definition and field), as it does the YAML.

type Tags = Record<string, string>;

export interface EntitySpec {
  name: string;
  joinKeys: string[];
  description?: string;
  owner?: string;
  tags?: Tags;
}

export interface FeatureViewSpec {
  name: string;
  entities: string[];
  source: { dataset: string } | { sql: string; inputs: Record<string, string> };
  timestampColumn: string;
  /** `90s`, `1h`, `7d` or milliseconds. */
  ttl: string | number;
  features: {
    name: string;
    type: 'double' | 'float' | 'long' | 'integer' | 'boolean' | 'string';
    description?: string;
  }[];
  description?: string;
  owner?: string;
  tags?: Tags;
}

export interface FeatureServiceSpec {
  name: string;
  /** `view` (all its features) or `view:feature`. */
  features: string[];
  description?: string;
  owner?: string;
  tags?: Tags;
}

export const defineEntity = (spec: EntitySpec) => ({ kind: 'entity' as const, ...spec });
export const defineFeatureView = (spec: FeatureViewSpec) => ({
  kind: 'feature_view' as const,
  ...spec,
});
export const defineFeatureService = (spec: FeatureServiceSpec) => ({
  kind: 'feature_service' as const,
  ...spec,
});
