// Monitors and the stored result of every window they checked.
import { isUniqueViolation } from '../../db/index.js';
import { AlreadyExistsError } from '../../core/index.js';
import type { Monitor, MonitorResult, MonitorSpec } from '../monitors/monitor-types.js';
import type { MonitoringDb, MonitoringTables } from './monitoring-tables.js';

type MonitorRow = MonitoringTables['monitors'];

function toMonitor(row: MonitorRow): Monitor {
  return {
    name: row.name,
    spec: JSON.parse(row.spec) as MonitorSpec,
    ...(row.cursor_ms !== null ? { cursor: Number(row.cursor_ms) } : {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class KyselyMonitorStore {
  constructor(private readonly db: MonitoringDb) {}

  async create(name: string, spec: MonitorSpec, now: number): Promise<Monitor> {
    const row: MonitorRow = {
      name,
      deployment: spec.deployment,
      spec: JSON.stringify(spec),
      cursor_ms: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.insertInto('monitors').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AlreadyExistsError(`monitor ${name} already exists`, { monitor: name });
      throw error;
    }
    return toMonitor(row);
  }

  async replace(name: string, spec: MonitorSpec, now: number): Promise<void> {
    await this.db
      .updateTable('monitors')
      .set({ spec: JSON.stringify(spec), deployment: spec.deployment, updated_at: now })
      .where('name', '=', name)
      .execute();
  }

  async get(name: string): Promise<Monitor | undefined> {
    const row = await this.db
      .selectFrom('monitors')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toMonitor(row) : undefined;
  }

  async list(deployment?: string): Promise<Monitor[]> {
    let q = this.db.selectFrom('monitors').selectAll().orderBy('name');
    if (deployment) q = q.where('deployment', '=', deployment);
    return (await q.execute()).map(toMonitor);
  }

  async delete(name: string): Promise<boolean> {
    const r = await this.db.deleteFrom('monitors').where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Stores a window's result and moves the monitor's cursor, as part of `trx`. */
  async appendResult(
    trx: MonitoringDb,
    result: Omit<MonitorResult, 'seq'>,
    cursor: number | undefined,
  ): Promise<MonitorResult> {
    const last = await trx
      .selectFrom('monitor_results')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('monitor', '=', result.monitor)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const stored: MonitorResult = { ...result, seq };
    await trx
      .insertInto('monitor_results')
      .values({
        id: result.id,
        monitor: result.monitor,
        seq,
        deployment: result.deployment,
        window_start: result.windowStart,
        window_end: result.windowEnd,
        rows: result.rows,
        labelled_rows: result.realized.labelledRows,
        model_version: result.modelVersion ?? null,
        drift_share: result.driftShare,
        dataset_drift: result.datasetDrift ? 1 : 0,
        result: JSON.stringify(stored),
        created_at: result.createdAt,
      })
      .execute();
    if (cursor !== undefined)
      await trx
        .updateTable('monitors')
        .set({ cursor_ms: cursor })
        .where('name', '=', result.monitor)
        .execute();
    return stored;
  }

  /** Newest first. */
  async results(monitor: string, limit = 50): Promise<MonitorResult[]> {
    const rows = await this.db
      .selectFrom('monitor_results')
      .select('result')
      .where('monitor', '=', monitor)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => JSON.parse(r.result) as MonitorResult);
  }

  async result(id: string): Promise<MonitorResult | undefined> {
    const row = await this.db
      .selectFrom('monitor_results')
      .select('result')
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (JSON.parse(row.result) as MonitorResult) : undefined;
  }

  /** The latest result of every monitor. */
  async latestResults(): Promise<MonitorResult[]> {
    const rows = await this.db
      .selectFrom('monitor_results as r')
      .select('r.result')
      .where(({ eb, selectFrom }) =>
        eb(
          'r.seq',
          '=',
          selectFrom('monitor_results as m')
            .select((e) => e.fn.max('m.seq').as('s'))
            .whereRef('m.monitor', '=', 'r.monitor'),
        ),
      )
      .execute();
    return rows.map((r) => JSON.parse(r.result) as MonitorResult);
  }
}
