import type { Kysely } from 'kysely';
import { newUuid } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { Definition, DefinitionKind } from './definitions/definition-schema.js';

/** The tables the features domain owns (created by db/migrations/0010-features.ts). */
export type FeatureTables = {
  feature_definitions: {
    kind: string;
    name: string;
    version: number;
    digest: string;
    spec: string;
    owner: string | null;
    tags: string;
    created_by: string;
    created_at: number;
  };
  feature_materializations: {
    id: string;
    view: string;
    view_version: number;
    start_ms: number | null;
    end_ms: number;
    rows: number;
    max_event_ms: number | null;
    sources: string;
    store: string;
    trigger: string;
    created_at: number;
  };
  feature_online_values: {
    view: string;
    entity_key: string;
    event_ms: number;
    feature_values: string;
    written_at: number;
  };
};

export type FeatureDb = Kysely<FeatureTables>;

/** One applied version of a definition. */
export interface StoredDefinition<D extends Definition = Definition> {
  kind: DefinitionKind;
  name: string;
  version: number;
  /** sha256 of the definition's canonical JSON: the same content is the same version. */
  digest: string;
  definition: D;
  createdBy: string;
  createdAt: number;
}

/** One run of materialization of a view into the online store. */
export interface Materialization {
  id: string;
  view: string;
  viewVersion: number;
  /** Event times written: after `startMs` (from the beginning when absent) up to `endMs`. */
  startMs?: number;
  endMs: number;
  rows: number;
  maxEventMs?: number;
  /** The dataset versions read, `name@version`. */
  sources: string[];
  /** The online store written (`sql`, `redis`). */
  store: string;
  /** `manual` (CLI, API) or `dataset:<name@version>` (a new source version). */
  trigger: string;
  createdAt: number;
}

export interface NewDefinitionVersion {
  definition: Definition;
  digest: string;
  createdBy: string;
}

const num = (v: number | string | bigint | null) => (v === null ? undefined : Number(v));

function toStored(row: FeatureTables['feature_definitions']): StoredDefinition {
  return {
    kind: row.kind as DefinitionKind,
    name: row.name,
    version: Number(row.version),
    digest: row.digest,
    definition: JSON.parse(row.spec) as Definition,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

function toMaterialization(row: FeatureTables['feature_materializations']): Materialization {
  const start = num(row.start_ms);
  const max = num(row.max_event_ms);
  return {
    id: row.id,
    view: row.view,
    viewVersion: Number(row.view_version),
    ...(start !== undefined ? { startMs: start } : {}),
    endMs: Number(row.end_ms),
    rows: Number(row.rows),
    ...(max !== undefined ? { maxEventMs: max } : {}),
    sources: JSON.parse(row.sources) as string[],
    store: row.store,
    trigger: row.trigger,
    createdAt: Number(row.created_at),
  };
}

/** Definitions (every version) and materializations, over Kysely on SQLite or PostgreSQL. */
export class KyselyFeatureStore {
  readonly db: FeatureDb;

  constructor(database: Database) {
    this.db = database.kysely.withTables<FeatureTables>() as unknown as FeatureDb;
  }

  /** The newest version of every definition (of one kind when given), by name. */
  async latest(kind?: DefinitionKind): Promise<StoredDefinition[]> {
    let query = this.db.selectFrom('feature_definitions').selectAll();
    if (kind) query = query.where('kind', '=', kind);
    const rows = await query.orderBy('kind').orderBy('name').orderBy('version').execute();
    const newest = new Map<string, FeatureTables['feature_definitions']>();
    for (const row of rows) newest.set(`${row.kind}/${row.name}`, row);
    return [...newest.values()].map(toStored);
  }

  async get(kind: DefinitionKind, name: string, version?: number) {
    let query = this.db
      .selectFrom('feature_definitions')
      .selectAll()
      .where('kind', '=', kind)
      .where('name', '=', name);
    if (version !== undefined) query = query.where('version', '=', version);
    const row = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row ? toStored(row) : undefined;
  }

  async history(kind: DefinitionKind, name: string): Promise<StoredDefinition[]> {
    const rows = await this.db
      .selectFrom('feature_definitions')
      .selectAll()
      .where('kind', '=', kind)
      .where('name', '=', name)
      .orderBy('version', 'desc')
      .execute();
    return rows.map(toStored);
  }

  /** Appends a new version of each definition, all in one transaction. */
  async append(items: NewDefinitionVersion[], now: number): Promise<StoredDefinition[]> {
    return this.db.transaction().execute(async (trx) => {
      const stored: StoredDefinition[] = [];
      for (const item of items) {
        const { kind, name } = item.definition;
        const top = await trx
          .selectFrom('feature_definitions')
          .select((eb) => eb.fn.max('version').as('v'))
          .where('kind', '=', kind)
          .where('name', '=', name)
          .executeTakeFirst();
        const row = {
          kind,
          name,
          version: Number(top?.v ?? 0) + 1,
          digest: item.digest,
          spec: JSON.stringify(item.definition),
          owner: item.definition.owner ?? null,
          tags: JSON.stringify(item.definition.tags),
          created_by: item.createdBy,
          created_at: now,
        };
        await trx.insertInto('feature_definitions').values(row).execute();
        stored.push(toStored(row));
      }
      return stored;
    });
  }

  async recordMaterialization(m: Omit<Materialization, 'id'>): Promise<Materialization> {
    const row = {
      id: newUuid(),
      view: m.view,
      view_version: m.viewVersion,
      start_ms: m.startMs ?? null,
      end_ms: m.endMs,
      rows: m.rows,
      max_event_ms: m.maxEventMs ?? null,
      sources: JSON.stringify(m.sources),
      store: m.store,
      trigger: m.trigger,
      created_at: m.createdAt,
    };
    await this.db.insertInto('feature_materializations').values(row).execute();
    return toMaterialization(row);
  }

  /** A view's materializations, newest first. */
  async materializations(view: string, limit = 20): Promise<Materialization[]> {
    const rows = await this.db
      .selectFrom('feature_materializations')
      .selectAll()
      .where('view', '=', view)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toMaterialization);
  }
}
