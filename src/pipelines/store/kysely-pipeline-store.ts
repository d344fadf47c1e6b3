import { sql, type Kysely } from 'kysely';
import { newUuid } from '../../core/index.js';
import { isUniqueViolation, type Database } from '../../db/index.js';
import type { PipelineSpec } from '../spec/pipeline-spec.js';
import type { Pipeline, PipelineRun, PipelineVersion, StepRun } from '../types.js';
import type {
  NewRun,
  PipelineStore,
  RunListQuery,
  RunPatch,
  RunStatusStatistics,
  StepPatch,
} from './pipeline-store.js';
import { KyselyPipelineStateStore } from './kysely-pipeline-state.js';
import { stepColumns, toRun, toStep, toVersion } from './pipeline-rows.js';
import type { PipelineTables } from './tables.js';

type Db = Kysely<PipelineTables>;

/** The pipelines store over Kysely; the same SQL runs on SQLite and PostgreSQL. */
export class KyselyPipelineStore extends KyselyPipelineStateStore implements PipelineStore {
  constructor(database: Database) {
    super(database.kysely.withTables<PipelineTables>() as unknown as Db);
  }

  async saveVersion(
    spec: PipelineSpec,
    digest: string,
    sourceDir: string | undefined,
    now: number,
  ): Promise<{ version: PipelineVersion; created: boolean }> {
    const existing = await this.db
      .selectFrom('pipeline_versions')
      .selectAll()
      .where('pipeline_name', '=', spec.name)
      .where('digest', '=', digest)
      .executeTakeFirst();
    if (existing) return { version: toVersion(existing), created: false };
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('pipelines')
          .values({ name: spec.name, latest_version: 0, created_at: now, updated_at: now })
          .onConflict((c) => c.column('name').doNothing())
          .execute();
        // The row update serialises two registrations of one pipeline.
        const { latest_version: version } = await trx
          .updateTable('pipelines')
          .set((eb) => ({ latest_version: eb('latest_version', '+', 1), updated_at: now }))
          .where('name', '=', spec.name)
          .returning('latest_version')
          .executeTakeFirstOrThrow();
        const values = {
          id: newUuid(),
          pipeline_name: spec.name,
          version: Number(version),
          digest,
          spec_json: JSON.stringify(spec),
          source_dir: sourceDir ?? null,
          created_at: now,
        };
        await trx.insertInto('pipeline_versions').values(values).execute();
        return values;
      });
      return { version: toVersion(row), created: true };
    } catch (error) {
      // Someone registered the same content at the same moment: theirs is ours.
      if (!isUniqueViolation(error)) throw error;
      return this.saveVersion(spec, digest, sourceDir, now);
    }
  }

  async getPipeline(name: string): Promise<Pipeline | undefined> {
    const row = await this.db
      .selectFrom('pipelines')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toPipeline(row);
  }

  async listPipelines(): Promise<Pipeline[]> {
    const rows = await this.db.selectFrom('pipelines').selectAll().orderBy('name').execute();
    return rows.map(toPipeline);
  }

  async getVersion(name: string, version?: number): Promise<PipelineVersion | undefined> {
    let query = this.db
      .selectFrom('pipeline_versions')
      .selectAll()
      .where('pipeline_name', '=', name);
    query =
      version === undefined
        ? query.orderBy('version', 'desc').limit(1)
        : query.where('version', '=', version);
    const row = await query.executeTakeFirst();
    return row && toVersion(row);
  }

  async createRun(run: NewRun, now: number): Promise<{ runId: string; created: boolean }> {
    try {
      await this.db.transaction().execute(async (trx) => {
        if (run.fireKey)
          await trx
            .insertInto('pipeline_trigger_fires')
            .values({ key: run.fireKey, run_id: run.id, created_at: now })
            .execute();
        if (run.schedule) {
          const { key, firedAt } = run.schedule;
          await trx
            .insertInto('pipeline_schedules')
            .values({ key, last_fired_at: firedAt })
            .onConflict((c) => c.column('key').doUpdateSet({ last_fired_at: firedAt }))
            .execute();
        }
        await trx
          .insertInto('pipeline_runs')
          .values({
            id: run.id,
            pipeline_name: run.pipelineName,
            pipeline_version: run.pipelineVersion,
            status: 'queued',
            params_json: JSON.stringify(run.params),
            trigger_json: JSON.stringify(run.trigger),
            tracking_run_id: null,
            owner_id: null,
            no_cache: run.noCache ? 1 : 0,
            cancel_requested: 0,
            error: null,
            created_at: now,
            started_at: null,
            finished_at: null,
          })
          .execute();
        await trx
          .insertInto('pipeline_steps')
          .values(
            run.steps.map((step) => ({ run_id: run.id, step, status: 'pending', attempt: 0 })),
          )
          .execute();
      });
      return { runId: run.id, created: true };
    } catch (error) {
      if (!run.fireKey || !isUniqueViolation(error)) throw error;
      const fired = await this.db
        .selectFrom('pipeline_trigger_fires')
        .select('run_id')
        .where('key', '=', run.fireKey)
        .executeTakeFirstOrThrow();
      return { runId: fired.run_id, created: false };
    }
  }

  async getRun(id: string): Promise<PipelineRun | undefined> {
    const row = await this.db
      .selectFrom('pipeline_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRun(row);
  }

  async listRuns(query: RunListQuery): Promise<{ items: PipelineRun[]; hasMore: boolean }> {
    let q = this.db.selectFrom('pipeline_runs').selectAll();
    if (query.pipelineName) q = q.where('pipeline_name', '=', query.pipelineName);
    if (query.status) q = q.where('status', '=', query.status);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .offset(query.offset)
      .execute();
    return { items: rows.slice(0, query.limit).map(toRun), hasMore: rows.length > query.limit };
  }

  async runStatistics(bucketBoundsMs: readonly number[]): Promise<RunStatusStatistics[]> {
    const took = sql`finished_at - started_at`;
    let q = this.db
      .selectFrom('pipeline_runs')
      .select(['pipeline_name', 'status'])
      .select((eb) => [
        eb.fn.countAll().as('runs'),
        // count() of an expression skips the runs without a start or a finish.
        sql<number | string>`count(${took})`.as('timed_runs'),
        sql<number | string>`coalesce(sum(${took}), 0)`.as('duration_sum'),
        eb.fn.max('finished_at').as('last_finished_at'),
      ])
      .groupBy(['pipeline_name', 'status'])
      .$castTo<Record<string, unknown>>();
    bucketBoundsMs.forEach((bound, i) => {
      // Bounds are the caller's numbers, never user input; literals keep PostgreSQL's types simple.
      const le = sql.lit(Math.round(bound));
      q = q.select(sql`sum(case when ${took} <= ${le} then 1 else 0 end)`.as(`le_${i}`));
    });
    const rows = await q.execute();
    return rows.map((row) => {
      const last = row.last_finished_at;
      return {
        pipelineName: String(row.pipeline_name),
        status: row.status as RunStatusStatistics['status'],
        runs: Number(row.runs),
        timedRuns: Number(row.timed_runs),
        durationSumMs: Number(row.duration_sum),
        durationBucketCounts: bucketBoundsMs.map((_, i) => Number(row[`le_${i}`] ?? 0)),
        lastFinishedAt: last === null || last === undefined ? undefined : Number(last),
      };
    });
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    const cols: Partial<PipelineTables['pipeline_runs']> = {};
    if (patch.status !== undefined) cols.status = patch.status;
    if ('trackingRunId' in patch) cols.tracking_run_id = patch.trackingRunId ?? null;
    if ('ownerId' in patch) cols.owner_id = patch.ownerId ?? null;
    if ('error' in patch) cols.error = patch.error ?? null;
    if ('startedAt' in patch) cols.started_at = patch.startedAt ?? null;
    if ('finishedAt' in patch) cols.finished_at = patch.finishedAt ?? null;
    if (patch.noCache !== undefined) cols.no_cache = patch.noCache ? 1 : 0;
    if (patch.cancelRequested !== undefined) cols.cancel_requested = patch.cancelRequested ? 1 : 0;
    if (Object.keys(cols).length === 0) return;
    await this.db.updateTable('pipeline_runs').set(cols).where('id', '=', id).execute();
  }

  async claimRun(id: string, ownerId: string, _now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('pipeline_runs')
      .set({ status: 'running', owner_id: ownerId })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where((eb) =>
        eb.or([
          eb('owner_id', 'is', null),
          eb('owner_id', '=', ownerId),
          eb('owner_id', 'not in', eb.selectFrom('pipeline_owners').select('id')),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async activeRuns(ownerId?: string): Promise<PipelineRun[]> {
    let q = this.db
      .selectFrom('pipeline_runs')
      .selectAll()
      .where('status', 'in', ['queued', 'running']);
    if (ownerId) q = q.where('owner_id', '=', ownerId);
    return (await q.execute()).map(toRun);
  }

  async listSteps(runId: string): Promise<StepRun[]> {
    const rows = await this.db
      .selectFrom('pipeline_steps')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('step')
      .execute();
    return rows.map(toStep);
  }

  async updateStep(runId: string, step: string, patch: StepPatch): Promise<void> {
    const cols = stepColumns(patch);
    if (Object.keys(cols).length === 0) return;
    await this.db
      .updateTable('pipeline_steps')
      .set(cols)
      .where('run_id', '=', runId)
      .where('step', '=', step)
      .execute();
  }

  async approve(runId: string, step: string | undefined, by: string, now: number): Promise<number> {
    let q = this.db
      .updateTable('pipeline_steps')
      .set({ approved_by: by, approved_at: now })
      .where('run_id', '=', runId)
      .where('status', '=', 'waiting_approval');
    if (step) q = q.where('step', '=', step);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

function toPipeline(row: PipelineTables['pipelines']): Pipeline {
  return {
    name: row.name,
    latestVersion: Number(row.latest_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
