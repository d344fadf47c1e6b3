import type { Kysely } from 'kysely';
import type { StepOutputs } from '../steps/step-types.js';
import type { LogChunk } from '../types.js';
import type { OwnerRecord, PipelineStore } from './pipeline-store.js';
import type { PipelineTables } from './tables.js';

type StateMethods = Pick<
  PipelineStore,
  | 'appendLog'
  | 'readLog'
  | 'getCached'
  | 'putCached'
  | 'deleteCached'
  | 'lastFired'
  | 'setLastFired'
  | 'saveOwner'
  | 'heartbeat'
  | 'listOwners'
  | 'deleteOwner'
  | 'tryLease'
  | 'releaseLease'
>;

/**
 * The running state around runs — step logs, the step cache, schedule positions, owners and
 * leases — split from KyselyPipelineStore (which extends it) to keep each file readable.
 */
export class KyselyPipelineStateStore implements StateMethods {
  constructor(protected readonly db: Kysely<PipelineTables>) {}

  async appendLog(runId: string, step: string, chunks: LogChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    await this.db
      .insertInto('pipeline_step_logs')
      .values(
        chunks.map((c) => ({
          run_id: runId,
          step,
          seq: c.seq,
          text: c.text,
          created_at: c.createdAt,
        })),
      )
      .execute();
  }

  async readLog(runId: string, step: string, afterSeq: number, limit: number): Promise<LogChunk[]> {
    const rows = await this.db
      .selectFrom('pipeline_step_logs')
      .select(['seq', 'text', 'created_at'])
      .where('run_id', '=', runId)
      .where('step', '=', step)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), text: r.text, createdAt: Number(r.created_at) }));
  }

  async getCached(key: string): Promise<{ outputs: StepOutputs; runId: string } | undefined> {
    const row = await this.db
      .selectFrom('pipeline_cache')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { outputs: JSON.parse(row.outputs_json) as StepOutputs, runId: row.run_id };
  }

  async putCached(
    key: string,
    entry: { pipelineName: string; step: string; runId: string; outputs: StepOutputs },
    now: number,
  ): Promise<void> {
    const values = {
      key,
      pipeline_name: entry.pipelineName,
      step: entry.step,
      run_id: entry.runId,
      outputs_json: JSON.stringify(entry.outputs),
      created_at: now,
    };
    await this.db
      .insertInto('pipeline_cache')
      .values(values)
      .onConflict((c) =>
        c.column('key').doUpdateSet({
          outputs_json: values.outputs_json,
          run_id: values.run_id,
          created_at: now,
        }),
      )
      .execute();
  }

  async deleteCached(key: string): Promise<void> {
    await this.db.deleteFrom('pipeline_cache').where('key', '=', key).execute();
  }

  async lastFired(scheduleKey: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('pipeline_schedules')
      .select('last_fired_at')
      .where('key', '=', scheduleKey)
      .executeTakeFirst();
    return row ? Number(row.last_fired_at) : undefined;
  }

  async setLastFired(scheduleKey: string, at: number): Promise<void> {
    await this.db
      .insertInto('pipeline_schedules')
      .values({ key: scheduleKey, last_fired_at: at })
      .onConflict((c) => c.column('key').doUpdateSet({ last_fired_at: at }))
      .execute();
  }

  async saveOwner(owner: OwnerRecord): Promise<void> {
    await this.db
      .insertInto('pipeline_owners')
      .values({
        id: owner.id,
        host: owner.host,
        pid: owner.pid,
        started_at: owner.startedAt,
        heartbeat_at: owner.heartbeatAt,
      })
      .execute();
  }

  async heartbeat(ownerId: string, now: number): Promise<void> {
    await this.db
      .updateTable('pipeline_owners')
      .set({ heartbeat_at: now })
      .where('id', '=', ownerId)
      .execute();
  }

  async listOwners(): Promise<OwnerRecord[]> {
    const rows = await this.db.selectFrom('pipeline_owners').selectAll().execute();
    return rows.map((r) => ({
      id: r.id,
      host: r.host,
      pid: Number(r.pid),
      startedAt: Number(r.started_at),
      heartbeatAt: Number(r.heartbeat_at),
    }));
  }

  async deleteOwner(ownerId: string): Promise<void> {
    await this.db.deleteFrom('pipeline_owners').where('id', '=', ownerId).execute();
  }

  async tryLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    await this.db
      .insertInto('pipeline_leases')
      .values({ name, holder, expires_at: now + ttlMs })
      .onConflict((c) => c.column('name').doNothing())
      .execute();
    // One statement takes an expired lease or renews our own, so two contenders cannot both win.
    const result = await this.db
      .updateTable('pipeline_leases')
      .set({ holder, expires_at: now + ttlMs })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db
      .deleteFrom('pipeline_leases')
      .where('name', '=', name)
      .where('holder', '=', holder)
      .execute();
  }
}
