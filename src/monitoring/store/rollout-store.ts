// Rollouts the server drives (their progress survives a restart) and each step's analysis.
import type { RolloutPlan } from '../../serving/index.js';
import { optNum, type MonitoringDb, type MonitoringTables } from './monitoring-tables.js';

export const ROLLOUT_STATES = [
  'running',
  'paused',
  'promoted',
  'rolled-back',
  'superseded',
  'failed',
] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

export interface DrivenRollout {
  deployment: string;
  state: RolloutState;
  plan: RolloutPlan;
  baseRevision: number;
  /** The step being taken or next to take (0-based). */
  step: number;
  /** The revision the current step made; absent until its weight is set. */
  stepRevision?: number;
  /** When the current step's pause ends (epoch ms). */
  stepDueAt?: number;
  outcome?: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface RolloutAnalysisRecord {
  id: string;
  deployment: string;
  revision: number;
  step: number;
  decision: string;
  evidence: Record<string, unknown>;
  createdAt: number;
}

type Row = MonitoringTables['rollouts'];

function toRollout(row: Row): DrivenRollout {
  return {
    deployment: row.deployment,
    state: row.state as RolloutState,
    plan: JSON.parse(row.plan) as RolloutPlan,
    baseRevision: Number(row.base_revision),
    step: Number(row.step),
    ...(row.step_revision !== null ? { stepRevision: Number(row.step_revision) } : {}),
    ...(row.step_due_at !== null ? { stepDueAt: optNum(row.step_due_at) } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome } : {}),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class KyselyRolloutStore {
  constructor(private readonly db: MonitoringDb) {}

  async get(deployment: string): Promise<DrivenRollout | undefined> {
    const row = await this.db
      .selectFrom('rollouts')
      .selectAll()
      .where('deployment', '=', deployment)
      .executeTakeFirst();
    return row ? toRollout(row) : undefined;
  }

  async running(): Promise<DrivenRollout[]> {
    const rows = await this.db
      .selectFrom('rollouts')
      .selectAll()
      .where('state', '=', 'running')
      .execute();
    return rows.map(toRollout);
  }

  /** Starts (or restarts) the deployment's rollout. */
  async put(rollout: DrivenRollout): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rollouts').where('deployment', '=', rollout.deployment).execute();
      await trx
        .insertInto('rollouts')
        .values({
          deployment: rollout.deployment,
          state: rollout.state,
          plan: JSON.stringify(rollout.plan),
          base_revision: rollout.baseRevision,
          step: rollout.step,
          step_revision: rollout.stepRevision ?? null,
          step_due_at: rollout.stepDueAt ?? null,
          outcome: rollout.outcome ?? null,
          created_by: rollout.createdBy,
          created_at: rollout.createdAt,
          updated_at: rollout.updatedAt,
        })
        .execute();
    });
  }

  /**
   * Moves a rollout on, only if nobody else did since `expectedUpdatedAt` was read; returns
   * whether this writer won (two servers never both take a step).
   */
  async advance(
    deployment: string,
    expectedUpdatedAt: number,
    change: Partial<
      Pick<DrivenRollout, 'state' | 'step' | 'stepRevision' | 'stepDueAt' | 'outcome'>
    > & {
      updatedAt: number;
    },
  ): Promise<boolean> {
    const set: Partial<Row> = { updated_at: change.updatedAt };
    if (change.state !== undefined) set.state = change.state;
    if (change.step !== undefined) set.step = change.step;
    if ('stepRevision' in change) set.step_revision = change.stepRevision ?? null;
    if ('stepDueAt' in change) set.step_due_at = change.stepDueAt ?? null;
    if (change.outcome !== undefined) set.outcome = change.outcome;
    const r = await this.db
      .updateTable('rollouts')
      .set(set)
      .where('deployment', '=', deployment)
      .where('updated_at', '=', expectedUpdatedAt)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async addAnalysis(record: RolloutAnalysisRecord): Promise<void> {
    await this.db
      .insertInto('rollout_analyses')
      .values({
        id: record.id,
        deployment: record.deployment,
        revision: record.revision,
        step: record.step,
        decision: record.decision,
        evidence: JSON.stringify(record.evidence),
        created_at: record.createdAt,
      })
      .execute();
  }

  /** Newest first. */
  async analyses(deployment: string, limit = 100): Promise<RolloutAnalysisRecord[]> {
    const rows = await this.db
      .selectFrom('rollout_analyses')
      .selectAll()
      .where('deployment', '=', deployment)
      .orderBy('created_at', 'desc')
      .orderBy('step', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      deployment: r.deployment,
      revision: Number(r.revision),
      step: Number(r.step),
      decision: r.decision,
      evidence: JSON.parse(r.evidence) as Record<string, unknown>,
      createdAt: Number(r.created_at),
    }));
  }
}
