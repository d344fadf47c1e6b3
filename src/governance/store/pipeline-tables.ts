// Pipelines' tables as governance reads them (db/migrations/0006-pipelines.ts). Pipelines has
// no purge or usage query of its own; these are the only places governance touches them:
// it reads step resource use for costs and deletes old step logs under a retention policy.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';

export type PipelineUsageTables = {
  pipeline_runs: {
    id: string;
    pipeline_name: string;
    status: string;
    tracking_run_id: string | null;
    created_at: number;
    finished_at: number | null;
  };
  pipeline_steps: {
    run_id: string;
    step: string;
    status: string;
    started_at: number | null;
    finished_at: number | null;
    wall_ms: number | null;
    cpu_ms: number | null;
    peak_rss_bytes: number | null;
  };
  pipeline_step_logs: {
    run_id: string;
    step: string;
    seq: number;
    text: string;
    created_at: number;
  };
};

export type PipelineUsageDb = Kysely<PipelineUsageTables>;

export function pipelineUsageDb(database: Database): PipelineUsageDb {
  return database.kysely.withTables<PipelineUsageTables>() as unknown as PipelineUsageDb;
}

/** Logs of steps whose run finished before `cutoff`: run, step and characters held. */
export async function stepLogsBefore(
  db: PipelineUsageDb,
  cutoff: number,
): Promise<{ runId: string; step: string; bytes: number }[]> {
  const rows = await db
    .selectFrom('pipeline_step_logs as l')
    .innerJoin('pipeline_runs as r', 'r.id', 'l.run_id')
    .select(['l.run_id', 'l.step'])
    .select((eb) => eb.fn.sum<number | string>(eb.fn('length', ['l.text'])).as('bytes'))
    .where('r.finished_at', 'is not', null)
    .where('r.finished_at', '<', cutoff)
    .groupBy(['l.run_id', 'l.step'])
    .orderBy('l.run_id')
    .orderBy('l.step')
    .execute();
  return rows.map((r) => ({ runId: r.run_id, step: r.step, bytes: Number(r.bytes) }));
}

export async function deleteStepLog(db: PipelineUsageDb, runId: string, step: string) {
  await db
    .deleteFrom('pipeline_step_logs')
    .where('run_id', '=', runId)
    .where('step', '=', step)
    .execute();
}
