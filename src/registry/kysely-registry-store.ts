import type { Kysely, Transaction } from 'kysely';
import { AlreadyExistsError, NotFoundError, newUuid } from '../core/index.js';
import { isUniqueViolation, type Database, type Dialect } from '../db/index.js';
import type { EventStore, EventTables } from '../events/index.js';
import {
  MODEL_ALIAS_CHANGED,
  MODEL_VERSION_CREATED,
  type ModelEventPayload,
} from './registry-events.js';
import { hydrateModels, hydrateVersions, latestVersionPerStage } from './registry-hydration.js';
import { encodeLineage, encodeMetadata } from './registry-rows.js';
import { searchModelRows, searchVersionRows } from './kysely-registry-search.js';
import type { SearchQuery } from '../search/index.js';
import type {
  NewModelVersion,
  NewRegisteredModel,
  RegistryStore,
  VersionSearchQuery,
} from './store.js';
import type { RegistryTables } from './tables.js';
import type { ModelStage, ModelVersion, Page, RegisteredModel } from './types.js';

type Db = Kysely<RegistryTables>;
type ModelRow = RegistryTables['registered_models'];
type VersionRow = RegistryTables['model_versions'] & { name: string };

const modelNotFound = (name: string) =>
  new NotFoundError(`Registered Model with name=${name} not found`, { name });
const versionNotFound = (name: string, version: number) =>
  new NotFoundError(`Model Version (name=${name}, version=${version}) not found`, {
    name,
    version,
  });

/** The registry store over Kysely; the same SQL runs on SQLite and PostgreSQL. */
export class KyselyRegistryStore implements RegistryStore {
  private readonly db: Db;
  private readonly dialect: Dialect;

  /** With `events`, version and alias changes append their events in the same transaction. */
  constructor(
    database: Database,
    private readonly events?: EventStore,
  ) {
    this.dialect = database.dialect;
    this.db = database.kysely.withTables<RegistryTables>() as unknown as Db;
  }

  async createModel(input: NewRegisteredModel, now: number): Promise<RegisteredModel> {
    const id = newUuid();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('registered_models')
          .values({
            id,
            name: input.name,
            description: input.description ?? null,
            created_at: now,
            updated_at: now,
            last_version: 0,
          })
          .execute();
        const tags = Object.entries(input.tags).map(([key, value]) => ({
          model_id: id,
          key,
          value,
        }));
        if (tags.length > 0) await trx.insertInto('registered_model_tags').values(tags).execute();
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AlreadyExistsError(`Registered Model (name=${input.name}) already exists.`, {
          name: input.name,
        });
      throw error;
    }
    return this.mustGetModel(input.name);
  }

  async getModel(name: string): Promise<RegisteredModel | undefined> {
    const row = await this.db
      .selectFrom('registered_models')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? (await this.hydrateModels([row]))[0] : undefined;
  }

  private async mustGetModel(name: string): Promise<RegisteredModel> {
    const model = await this.getModel(name);
    if (!model) throw modelNotFound(name);
    return model;
  }

  private async modelId(db: Db | Transaction<RegistryTables>, name: string): Promise<string> {
    const row = await db
      .selectFrom('registered_models')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw modelNotFound(name);
    return row.id;
  }

  /** A change to a model's tags, aliases or versions counts as an update of the model. */
  private async touchModel(
    trx: Transaction<RegistryTables>,
    id: string,
    now: number,
  ): Promise<void> {
    await trx
      .updateTable('registered_models')
      .set({ updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async renameModel(name: string, newName: string, now: number): Promise<RegisteredModel> {
    try {
      const result = await this.db
        .updateTable('registered_models')
        .set({ name: newName, updated_at: now })
        .where('name', '=', name)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw modelNotFound(name);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AlreadyExistsError(`Registered Model (name=${newName}) already exists.`, {
          name: newName,
        });
      throw error;
    }
    return this.mustGetModel(newName);
  }

  async updateModel(
    name: string,
    patch: { description?: string },
    now: number,
  ): Promise<RegisteredModel> {
    const result = await this.db
      .updateTable('registered_models')
      .set({
        updated_at: now,
        ...(patch.description !== undefined ? { description: patch.description } : {}),
      })
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw modelNotFound(name);
    return this.mustGetModel(name);
  }

  async deleteModel(name: string): Promise<void> {
    // Foreign keys cascade to versions, tags and aliases on both dialects.
    const result = await this.db
      .deleteFrom('registered_models')
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw modelNotFound(name);
  }

  async setModelTag(name: string, key: string, value: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const id = await this.modelId(trx, name);
      await trx
        .insertInto('registered_model_tags')
        .values({ model_id: id, key, value })
        .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value }))
        .execute();
      await this.touchModel(trx, id, now);
    });
  }

  async deleteModelTag(name: string, key: string): Promise<void> {
    const id = await this.modelId(this.db, name);
    await this.db
      .deleteFrom('registered_model_tags')
      .where('model_id', '=', id)
      .where('key', '=', key)
      .execute();
  }

  async createVersion(name: string, input: NewModelVersion, now: number): Promise<ModelVersion> {
    const version = await this.db.transaction().execute(async (trx) => {
      // The row lock taken by this update serializes concurrent registrations of one model.
      const allocated = await trx
        .updateTable('registered_models')
        .set((eb) => ({ last_version: eb('last_version', '+', 1), updated_at: now }))
        .where('name', '=', name)
        .returning(['id', 'last_version'])
        .executeTakeFirst();
      if (!allocated) throw modelNotFound(name);
      const { id, last_version: number } = allocated;
      const versionId = newUuid();
      await trx
        .insertInto('model_versions')
        .values({
          model_id: id,
          version: number,
          id: versionId,
          created_at: now,
          updated_at: now,
          stage: 'None',
          description: input.description ?? null,
          source: input.source,
          run_id: input.runId ?? null,
          run_link: input.runLink ?? null,
          status: input.status,
          status_message: input.statusMessage ?? null,
          metadata: encodeMetadata(input.metadata),
          lineage: encodeLineage(input.lineage),
        })
        .execute();
      const tags = Object.entries(input.tags).map(([key, value]) => ({
        version_id: versionId,
        key,
        value,
      }));
      if (tags.length > 0) await trx.insertInto('model_version_tags').values(tags).execute();
      await this.emit(
        trx,
        MODEL_VERSION_CREATED,
        {
          name,
          version: number,
          source: input.source,
          ...(input.runId ? { runId: input.runId } : {}),
        },
        now,
      );
      return number;
    });
    return this.mustGetVersion(name, version);
  }

  private versionsQuery() {
    return this.db
      .selectFrom('model_versions as v')
      .innerJoin('registered_models as m', 'm.id', 'v.model_id')
      .selectAll('v')
      .select('m.name');
  }

  async getVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    const row = await this.versionsQuery()
      .where('m.name', '=', name)
      .where('v.version', '=', version)
      .executeTakeFirst();
    return row ? (await this.hydrateVersions([row]))[0] : undefined;
  }

  private async mustGetVersion(name: string, version: number): Promise<ModelVersion> {
    const found = await this.getVersion(name, version);
    if (!found) throw versionNotFound(name, version);
    return found;
  }

  async latestVersion(name: string, stage?: ModelStage): Promise<ModelVersion | undefined> {
    let query = this.versionsQuery().where('m.name', '=', name);
    if (stage) query = query.where('v.stage', '=', stage);
    const row = await query.orderBy('v.version', 'desc').limit(1).executeTakeFirst();
    return row ? (await this.hydrateVersions([row]))[0] : undefined;
  }

  latestVersionPerStage(names: string[]): Promise<Map<string, ModelVersion[]>> {
    return latestVersionPerStage(this.db, names);
  }

  async updateVersion(
    name: string,
    version: number,
    patch: { description?: string },
    now: number,
  ): Promise<ModelVersion> {
    await this.db.transaction().execute(async (trx) => {
      const id = await this.modelId(trx, name);
      const result = await trx
        .updateTable('model_versions')
        .set({
          updated_at: now,
          ...(patch.description !== undefined ? { description: patch.description } : {}),
        })
        .where('model_id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw versionNotFound(name, version);
    });
    return this.mustGetVersion(name, version);
  }

  async transitionStage(
    name: string,
    version: number,
    stage: ModelStage,
    archiveExisting: boolean,
    now: number,
  ): Promise<ModelVersion> {
    await this.db.transaction().execute(async (trx) => {
      const id = await this.modelId(trx, name);
      const result = await trx
        .updateTable('model_versions')
        .set({ stage, updated_at: now })
        .where('model_id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw versionNotFound(name, version);
      if (archiveExisting) {
        await trx
          .updateTable('model_versions')
          .set({ stage: 'Archived', updated_at: now })
          .where('model_id', '=', id)
          .where('stage', '=', stage)
          .where('version', '!=', version)
          .execute();
      }
      await this.touchModel(trx, id, now);
    });
    return this.mustGetVersion(name, version);
  }

  async deleteVersion(name: string, version: number): Promise<void> {
    const id = await this.modelId(this.db, name);
    const result = await this.db
      .deleteFrom('model_versions')
      .where('model_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw versionNotFound(name, version);
  }

  async setVersionTag(
    name: string,
    version: number,
    key: string,
    value: string,
    now: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { versionId } = await this.existingVersion(trx, name, version);
      await trx
        .insertInto('model_version_tags')
        .values({ version_id: versionId, key, value })
        .onConflict((oc) => oc.columns(['version_id', 'key']).doUpdateSet({ value }))
        .execute();
      await trx
        .updateTable('model_versions')
        .set({ updated_at: now })
        .where('id', '=', versionId)
        .execute();
    });
  }

  async deleteVersionTag(name: string, version: number, key: string): Promise<void> {
    const { versionId } = await this.existingVersion(this.db, name, version);
    await this.db
      .deleteFrom('model_version_tags')
      .where('version_id', '=', versionId)
      .where('key', '=', key)
      .execute();
  }

  private async existingVersion(
    db: Db | Transaction<RegistryTables>,
    name: string,
    version: number,
  ): Promise<{ modelId: string; versionId: string }> {
    const modelId = await this.modelId(db, name);
    const row = await db
      .selectFrom('model_versions')
      .select('id')
      .where('model_id', '=', modelId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw versionNotFound(name, version);
    return { modelId, versionId: row.id };
  }

  async setAlias(name: string, alias: string, version: number, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { modelId: id } = await this.existingVersion(trx, name, version);
      // One statement re-points the alias: readers see the old version or the new, never none.
      await trx
        .insertInto('registered_model_aliases')
        .values({ model_id: id, alias, version })
        .onConflict((oc) => oc.columns(['model_id', 'alias']).doUpdateSet({ version }))
        .execute();
      await this.touchModel(trx, id, now);
      await this.emit(trx, MODEL_ALIAS_CHANGED, { name, alias, version }, now);
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const id = await this.modelId(trx, name);
      const deleted = await trx
        .deleteFrom('registered_model_aliases')
        .where('model_id', '=', id)
        .where('alias', '=', alias)
        .executeTakeFirst();
      // No version in the payload: the alias points nowhere now.
      if (Number(deleted.numDeletedRows) > 0)
        await this.emit(trx, MODEL_ALIAS_CHANGED, { name, alias }, Date.now());
    });
  }

  /** Appends a registry event inside `trx`, when the store was given the outbox. */
  private async emit(
    trx: Transaction<RegistryTables>,
    type: string,
    payload: ModelEventPayload,
    now: number,
  ): Promise<void> {
    if (!this.events) return;
    const subject = `model:${payload.name}${payload.alias ? `@${payload.alias}` : payload.version ? `/${payload.version}` : ''}`;
    await this.events.append(
      trx as unknown as Kysely<EventTables>,
      { type, subject, payload },
      now,
    );
  }

  async getAlias(name: string, alias: string): Promise<number | undefined> {
    const id = await this.modelId(this.db, name);
    const row = await this.db
      .selectFrom('registered_model_aliases')
      .select('version')
      .where('model_id', '=', id)
      .where('alias', '=', alias)
      .executeTakeFirst();
    return row?.version;
  }

  async searchModels(query: SearchQuery): Promise<Page<RegisteredModel>> {
    const page = await searchModelRows(this.db, this.dialect, query);
    return { ...page, items: await this.hydrateModels(page.items) };
  }

  async searchVersions(query: VersionSearchQuery): Promise<Page<ModelVersion>> {
    const page = await searchVersionRows(this.db, this.dialect, query);
    return { ...page, items: await this.hydrateVersions(page.items) };
  }

  private hydrateModels(rows: ModelRow[]): Promise<RegisteredModel[]> {
    return hydrateModels(this.db, rows);
  }

  private hydrateVersions(rows: VersionRow[]): Promise<ModelVersion[]> {
    return hydrateVersions(this.db, rows);
  }
}
