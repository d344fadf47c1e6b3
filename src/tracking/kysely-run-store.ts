import { CompiledQuery, type Transaction } from 'kysely';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../core/index.js';
import type { Database, FoundationTables } from '../db/index.js';
import { dedupe } from './kysely-experiment-store.js';
import { metricsToJson } from './metric-json.js';
import { SQLITE_CHUNK, insertMetricHistory } from './metric-writer.js';
import { hydrateRuns, metricOf, toRunInfo, type Db } from './run-rows.js';
import { compileFilter, compileOrderBy } from '../search/index.js';
import type { NewRun, RunStore, RunWrites, SearchQuery, StorePage } from './store.js';
import type { TrackingTables } from './tables.js';
import { RUN_SEARCH_FIELDS } from './tracking-search-fields.js';
import type {
  DatasetInput,
  LifecycleStage,
  Metric,
  Run,
  RunInfo,
  RunOutput,
  RunStatus,
} from './types.js';
import { stagesOf } from './view-type.js';

type Trx = Transaction<FoundationTables & TrackingTables>;

export const RUN_NAME_TAG = 'mlflow.runName';

function notFound(runId: string): NotFoundError {
  return new NotFoundError(`Run with id=${runId} not found`, { runId });
}

/** Runs and everything logged to them, on SQLite or PostgreSQL through Kysely. */
export class KyselyRunStore implements RunStore {
  private readonly db: Db;

  constructor(private readonly database: Database) {
    this.db = database.kysely.withTables<TrackingTables>();
  }

  async create(run: NewRun): Promise<Run> {
    return this.db.transaction().execute(async (trx) => {
      const experiment = await trx
        .selectFrom('experiments')
        .select('lifecycle_stage')
        .where('experiment_id', '=', run.experimentId)
        .executeTakeFirst();
      if (!experiment)
        throw new NotFoundError(`No Experiment with id=${run.experimentId} exists`, {
          experimentId: String(run.experimentId),
        });
      if (experiment.lifecycle_stage !== 'active')
        throw new FailedPreconditionError(
          `The experiment ${run.experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`,
          { experimentId: String(run.experimentId) },
        );
      const row = {
        run_uuid: run.runId,
        experiment_id: run.experimentId,
        name: run.runName,
        user_id: run.userId,
        status: run.status,
        start_time: run.startTime,
        end_time: null,
        lifecycle_stage: 'active',
        artifact_uri: run.artifactUri,
        deleted_time: null,
      };
      await trx.insertInto('runs').values(row).execute();
      const tags = dedupe(run.tags);
      if (tags.length > 0)
        await trx
          .insertInto('run_tags')
          .values(tags.map((t) => ({ run_uuid: run.runId, key: t.key, value: t.value })))
          .execute();
      return {
        info: toRunInfo(row),
        metrics: [],
        params: [],
        tags: [...tags].sort((a, b) => (a.key < b.key ? -1 : 1)),
        inputs: [],
        outputs: [],
      };
    });
  }

  async getInfo(runId: string): Promise<RunInfo | undefined> {
    const row = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('run_uuid', '=', runId)
      .executeTakeFirst();
    return row ? toRunInfo(row) : undefined;
  }

  async get(runId: string): Promise<Run | undefined> {
    const row = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('run_uuid', '=', runId)
      .executeTakeFirst();
    return row ? (await hydrateRuns(this.db, [row]))[0] : undefined;
  }

  /** Inside a transaction: the run must exist and be active before anything is written. */
  private async requireActive(trx: Trx | Db, runId: string): Promise<void> {
    const row = await trx
      .selectFrom('runs')
      .select('lifecycle_stage')
      .where('run_uuid', '=', runId)
      .executeTakeFirst();
    if (!row) throw notFound(runId);
    if (row.lifecycle_stage !== 'active')
      throw new FailedPreconditionError(
        `The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`,
        { runId },
      );
  }

  async update(
    runId: string,
    patch: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    return this.db.transaction().execute(async (trx) => {
      await this.requireActive(trx, runId);
      const set: Partial<TrackingTables['runs']> = {};
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.endTime !== undefined) set.end_time = patch.endTime;
      if (patch.runName !== undefined) {
        set.name = patch.runName;
        await this.upsertTags(trx, runId, [{ key: RUN_NAME_TAG, value: patch.runName }]);
      }
      if (Object.keys(set).length > 0)
        await trx.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
      const row = await trx
        .selectFrom('runs')
        .selectAll()
        .where('run_uuid', '=', runId)
        .executeTakeFirstOrThrow();
      return toRunInfo(row);
    });
  }

  async setLifecycle(runId: string, stage: LifecycleStage, now: number): Promise<void> {
    const result = await this.db
      .updateTable('runs')
      .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
      .where('run_uuid', '=', runId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(runId);
  }

  async write(runId: string, writes: RunWrites): Promise<void> {
    // The hot path: metrics alone fit one INSERT (with its trigger), atomic by itself, and the
    // INSERT checks the run is active; no transaction round trips needed.
    if (
      writes.params.length === 0 &&
      writes.tags.length === 0 &&
      writes.metrics.length <= SQLITE_CHUNK
    ) {
      if (!(await insertMetricHistory(this.db, this.database.dialect, runId, writes.metrics)))
        await this.requireActive(this.db, runId);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      await this.requireActive(trx, runId);
      if (writes.params.length > 0) await this.insertParams(trx, runId, writes);
      if (writes.metrics.length > 0) await this.insertMetrics(trx, runId, writes.metrics);
      if (writes.tags.length > 0) await this.upsertTags(trx, runId, writes.tags);
    });
  }

  private async insertParams(trx: Trx, runId: string, writes: RunWrites): Promise<void> {
    const wanted = new Map<string, string>();
    for (const p of writes.params) {
      const earlier = wanted.get(p.key);
      if (earlier !== undefined && earlier !== p.value)
        throw new InvalidArgumentError(
          `Duplicate parameter keys with different values in one request: '${p.key}'`,
          { field: 'params', key: p.key },
        );
      wanted.set(p.key, p.value);
    }
    const existing = await trx
      .selectFrom('run_params')
      .select(['key', 'value'])
      .where('run_uuid', '=', runId)
      .where('key', 'in', [...wanted.keys()])
      .execute();
    for (const row of existing) {
      if (row.value !== wanted.get(row.key))
        throw new InvalidArgumentError(
          `Changing param values is not allowed. Param with key='${row.key}' was already logged with value='${row.value}' for run ID='${runId}'. Attempted logging new value '${wanted.get(row.key)}'.`,
          { field: 'params', key: row.key },
        );
      wanted.delete(row.key);
    }
    if (wanted.size === 0) return;
    await trx
      .insertInto('run_params')
      .values([...wanted].map(([key, value]) => ({ run_uuid: runId, key, value })))
      .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
      .execute();
  }

  private async insertMetrics(trx: Trx, runId: string, metrics: Metric[]): Promise<void> {
    if (!(await insertMetricHistory(trx, this.database.dialect, runId, metrics)))
      await this.requireActive(trx, runId);
  }

  private async upsertTags(trx: Trx, runId: string, tags: RunWrites['tags']): Promise<void> {
    const unique = dedupe(tags);
    await trx
      .insertInto('run_tags')
      .values(unique.map((t) => ({ run_uuid: runId, key: t.key, value: t.value })))
      .onConflict((oc) =>
        oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
    // The run's name and its mlflow.runName tag are one fact kept in two places.
    const name = unique.find((t) => t.key === RUN_NAME_TAG);
    if (name)
      await trx
        .updateTable('runs')
        .set({ name: name.value })
        .where('run_uuid', '=', runId)
        .execute();
  }

  async deleteTag(runId: string, key: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await this.requireActive(trx, runId);
      const result = await trx
        .deleteFrom('run_tags')
        .where('run_uuid', '=', runId)
        .where('key', '=', key)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    if (inputs.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await this.requireActive(trx, runId);
      const unique = [...new Map(inputs.map((i) => [`${i.name}\u0000${i.digest}`, i])).values()];
      await trx
        .insertInto('run_inputs')
        .values(
          unique.map((i) => ({
            run_uuid: runId,
            name: i.name,
            digest: i.digest,
            context: i.context ?? null,
            source_type: i.sourceType,
            source: i.source,
            schema: i.schema ?? null,
            profile: i.profile ?? null,
            tags: JSON.stringify(i.tags),
          })),
        )
        .onConflict((oc) => oc.columns(['run_uuid', 'name', 'digest']).doNothing())
        .execute();
    });
  }

  async addOutput(runId: string, output: Omit<RunOutput, 'createdAt'>, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const exists = await trx
        .selectFrom('runs')
        .select('run_uuid')
        .where('run_uuid', '=', runId)
        .executeTakeFirst();
      if (!exists) throw notFound(runId);
      await trx
        .insertInto('run_outputs')
        .values({
          run_uuid: runId,
          kind: output.kind,
          name: output.name,
          version: output.version,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['run_uuid', 'kind', 'name', 'version']).doNothing())
        .execute();
    });
  }

  async metricHistory(
    runId: string,
    key: string,
    page: { limit?: number; offset: number },
  ): Promise<StorePage<Metric>> {
    let query = this.db
      .selectFrom('run_metrics')
      .select(['key', 'value', 'is_nan', 'timestamp', 'step'])
      .where('run_uuid', '=', runId)
      .where('key', '=', key)
      .orderBy('step')
      .orderBy('timestamp');
    if (page.limit !== undefined) query = query.limit(page.limit + 1).offset(page.offset);
    else if (page.offset > 0) query = query.limit(Number.MAX_SAFE_INTEGER).offset(page.offset);
    const rows = await query.execute();
    const hasMore = page.limit !== undefined && rows.length > page.limit;
    const items = (hasMore ? rows.slice(0, page.limit) : rows).map(metricOf);
    return { items, hasMore };
  }

  async metricHistoryJson(
    runId: string,
    key: string,
    page: { limit?: number; offset: number },
  ): Promise<{ json: string; count: number; hasMore: boolean }> {
    if (this.database.dialect !== 'sqlite') {
      const rows = await this.metricHistory(runId, key, page);
      return { json: metricsToJson(rows.items), count: rows.items.length, hasMore: rows.hasMore };
    }
    // SQLite (3.43+) renders doubles with round-trip precision, so its JSON equals metricsToJson's.
    const limit = page.limit ?? -1;
    const result = await this.db.executeQuery(
      CompiledQuery.raw(
        `select json_group_array(json_object('key', key, 'value',
            case when is_nan = 1 then 'NaN' when value > 1.7976931348623157e308 then 'Infinity'
                 when value < -1.7976931348623157e308 then '-Infinity' else value end,
            'timestamp', timestamp, 'step', step)) as j, count(*) as n
         from (select key, value, is_nan, timestamp, step from run_metrics
               where run_uuid = ? and key = ? order by step, timestamp limit ? offset ?)`,
        [runId, key, limit, page.offset],
      ),
    );
    const row = result.rows[0] as { j: string; n: number };
    let hasMore = false;
    if (page.limit !== undefined && row.n === page.limit) {
      const next = await this.db.executeQuery(
        CompiledQuery.raw(
          'select 1 as x from run_metrics where run_uuid = ? and key = ? limit 1 offset ?',
          [runId, key, page.offset + page.limit],
        ),
      );
      hasMore = next.rows.length > 0;
    }
    return { json: row.j, count: row.n, hasMore };
  }

  async search(experimentIds: number[], query: SearchQuery): Promise<StorePage<Run>> {
    if (experimentIds.length === 0) return { items: [], hasMore: false };
    let select = this.db
      .selectFrom('runs')
      .selectAll('runs')
      .where('runs.experiment_id', 'in', experimentIds)
      .where('runs.lifecycle_stage', 'in', stagesOf(query.viewType));
    const where = compileFilter(query.filter, RUN_SEARCH_FIELDS, this.database.dialect);
    if (where) select = select.where(where);
    for (const o of compileOrderBy(query.orderBy, RUN_SEARCH_FIELDS))
      select = select.orderBy(o.expression, o.direction);
    const rows = await select
      .orderBy('runs.start_time', 'desc')
      .orderBy('runs.run_uuid', 'asc')
      .limit(query.limit + 1)
      .offset(query.offset)
      .execute();
    const hasMore = rows.length > query.limit;
    return { items: await hydrateRuns(this.db, rows.slice(0, query.limit)), hasMore };
  }
}
