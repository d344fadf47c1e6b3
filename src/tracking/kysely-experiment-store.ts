import type { Kysely } from 'kysely';
import { AlreadyExistsError, NotFoundError } from '../core/index.js';
import { isUniqueViolation, type Database, type FoundationTables } from '../db/index.js';
import { compileFilter, compileOrderBy } from '../search/index.js';
import type { ExperimentStore, SearchQuery, StorePage } from './store.js';
import type { TrackingTables } from './tables.js';
import { EXPERIMENT_SEARCH_FIELDS } from './tracking-search-fields.js';
import type { Experiment, KeyValue, LifecycleStage } from './types.js';
import { stagesOf } from './view-type.js';

type Db = Kysely<FoundationTables & TrackingTables>;
type ExperimentRow = TrackingTables['experiments'];

function toExperiment(row: ExperimentRow, tags: KeyValue[]): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
  };
}

/** Experiments on SQLite or PostgreSQL through Kysely. */
export class KyselyExperimentStore implements ExperimentStore {
  private readonly db: Db;

  constructor(private readonly database: Database) {
    this.db = database.kysely.withTables<TrackingTables>();
  }

  async create(input: {
    name: string;
    artifactLocation: (id: string) => string;
    tags: KeyValue[];
    now: number;
  }): Promise<Experiment> {
    // The next id is max + 1; two creators racing on PostgreSQL may pick the same one, so a
    // primary-key clash retries while a name clash is the caller's AlreadyExists.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const { next } = await trx
            .selectFrom('experiments')
            .select((eb) =>
              eb(eb.fn.coalesce(eb.fn.max('experiment_id'), eb.lit(-1)), '+', 1).as('next'),
            )
            .executeTakeFirstOrThrow();
          const id = Number(next);
          const row: ExperimentRow = {
            experiment_id: id,
            name: input.name,
            artifact_location: input.artifactLocation(String(id)),
            lifecycle_stage: 'active',
            creation_time: input.now,
            last_update_time: input.now,
          };
          await trx.insertInto('experiments').values(row).execute();
          if (input.tags.length > 0)
            await trx
              .insertInto('experiment_tags')
              .values(
                dedupe(input.tags).map((t) => ({ experiment_id: id, key: t.key, value: t.value })),
              )
              .execute();
          return toExperiment(row, dedupe(input.tags));
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = await this.getByName(input.name);
        if (existing)
          throw new AlreadyExistsError(
            `Experiment '${input.name}' already exists${existing.lifecycleStage === 'deleted' ? ' in deleted state' : ''}.`,
            { name: input.name },
          );
        if (attempt >= 5) throw error;
      }
    }
  }

  private async withTags(rows: ExperimentRow[]): Promise<Experiment[]> {
    if (rows.length === 0) return [];
    const tags = await this.db
      .selectFrom('experiment_tags')
      .selectAll()
      .where(
        'experiment_id',
        'in',
        rows.map((r) => r.experiment_id),
      )
      .orderBy('key')
      .execute();
    return rows.map((row) =>
      toExperiment(
        row,
        tags.filter((t) => t.experiment_id === row.experiment_id),
      ),
    );
  }

  async get(id: number): Promise<Experiment | undefined> {
    const row = await this.db
      .selectFrom('experiments')
      .selectAll()
      .where('experiment_id', '=', id)
      .executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async getByName(name: string): Promise<Experiment | undefined> {
    const row = await this.db
      .selectFrom('experiments')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async search(query: SearchQuery): Promise<StorePage<Experiment>> {
    let select = this.db
      .selectFrom('experiments')
      .selectAll('experiments')
      .where('lifecycle_stage', 'in', stagesOf(query.viewType));
    const where = compileFilter(query.filter, EXPERIMENT_SEARCH_FIELDS, this.database.dialect);
    if (where) select = select.where(where);
    for (const o of compileOrderBy(query.orderBy, EXPERIMENT_SEARCH_FIELDS))
      select = select.orderBy(o.expression, o.direction);
    const rows = await select
      .orderBy('experiments.creation_time', 'desc')
      .orderBy('experiments.experiment_id', 'asc')
      .limit(query.limit + 1)
      .offset(query.offset)
      .execute();
    const hasMore = rows.length > query.limit;
    return { items: await this.withTags(rows.slice(0, query.limit)), hasMore };
  }

  async rename(id: number, name: string, now: number): Promise<boolean> {
    try {
      const result = await this.db
        .updateTable('experiments')
        .set({ name, last_update_time: now })
        .where('experiment_id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AlreadyExistsError(`Experiment '${name}' already exists.`, { name });
      throw error;
    }
  }

  async setLifecycle(id: number, stage: LifecycleStage, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('experiments')
        .set({ lifecycle_stage: stage, last_update_time: now })
        .where('experiment_id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0)
        throw new NotFoundError(`No Experiment with id=${id} exists`, { experimentId: String(id) });
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
        .where('experiment_id', '=', id)
        .execute();
    });
  }

  async setTag(id: number, tag: KeyValue, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('experiment_tags')
        .values({ experiment_id: id, key: tag.key, value: tag.value })
        .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value: tag.value }))
        .execute();
      await trx
        .updateTable('experiments')
        .set({ last_update_time: now })
        .where('experiment_id', '=', id)
        .execute();
    });
  }

  async deleteTag(id: number, key: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('experiment_tags')
      .where('experiment_id', '=', id)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

/** Last value wins for a key given twice (one statement cannot touch a row twice on PostgreSQL). */
export function dedupe(tags: KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}
