// Alerts (one row per episode of a rule on a monitor: pending → firing → resolved) with the
// evidence behind them, and the actions each firing ran.
import type { AlertSeverity, AlertState } from '../monitoring-snapshot.js';
import type { Alert, AlertActionRecord, AlertEvidence } from '../monitors/monitor-types.js';
import { optNum, type MonitoringDb, type MonitoringTables } from './monitoring-tables.js';

type AlertRow = MonitoringTables['alerts'];

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    monitor: row.monitor,
    rule: row.rule,
    deployment: row.deployment,
    severity: row.severity as AlertSeverity,
    state: row.state as AlertState,
    consecutive: Number(row.consecutive),
    since: Number(row.since),
    ...(row.fired_at !== null ? { firedAt: optNum(row.fired_at) } : {}),
    ...(row.resolved_at !== null ? { resolvedAt: optNum(row.resolved_at) } : {}),
    ...(row.acked_by !== null ? { ackedBy: row.acked_by } : {}),
    ...(row.acked_at !== null ? { ackedAt: optNum(row.acked_at) } : {}),
    evidence: JSON.parse(row.evidence) as AlertEvidence[],
    updatedAt: Number(row.updated_at),
  };
}

function toRow(alert: Alert): AlertRow {
  return {
    id: alert.id,
    monitor: alert.monitor,
    rule: alert.rule,
    deployment: alert.deployment,
    severity: alert.severity,
    state: alert.state,
    consecutive: alert.consecutive,
    since: alert.since,
    fired_at: alert.firedAt ?? null,
    resolved_at: alert.resolvedAt ?? null,
    acked_by: alert.ackedBy ?? null,
    acked_at: alert.ackedAt ?? null,
    evidence: JSON.stringify(alert.evidence),
    updated_at: alert.updatedAt,
  };
}

export interface AlertFilter {
  state?: AlertState;
  monitor?: string;
  deployment?: string;
  rule?: string;
  /** Also resolved alerts updated at or after this time (default: every resolved alert). */
  resolvedSince?: number;
  limit?: number;
}

export class KyselyAlertStore {
  constructor(private readonly db: MonitoringDb) {}

  /** The rule's episode still open on the monitor (pending or firing), if any. */
  async open(trx: MonitoringDb, monitor: string, rule: string): Promise<Alert | undefined> {
    const row = await trx
      .selectFrom('alerts')
      .selectAll()
      .where('monitor', '=', monitor)
      .where('rule', '=', rule)
      .where('state', 'in', ['pending', 'firing'])
      .orderBy('since', 'desc')
      .executeTakeFirst();
    return row ? toAlert(row) : undefined;
  }

  /** When the rule last fired on the monitor (for its cooldown). */
  async lastFiredAt(trx: MonitoringDb, monitor: string, rule: string): Promise<number | undefined> {
    const row = await trx
      .selectFrom('alerts')
      .select((eb) => eb.fn.max('fired_at').as('at'))
      .where('monitor', '=', monitor)
      .where('rule', '=', rule)
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  async save(trx: MonitoringDb, alert: Alert, isNew: boolean): Promise<void> {
    if (isNew) await trx.insertInto('alerts').values(toRow(alert)).execute();
    else {
      const { id: _id, ...rest } = toRow(alert);
      await trx.updateTable('alerts').set(rest).where('id', '=', alert.id).execute();
    }
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toAlert(row) : undefined;
  }

  /** Newest first. */
  async list(filter: AlertFilter = {}): Promise<Alert[]> {
    let q = this.db.selectFrom('alerts').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.monitor) q = q.where('monitor', '=', filter.monitor);
    if (filter.deployment) q = q.where('deployment', '=', filter.deployment);
    if (filter.rule) q = q.where('rule', '=', filter.rule);
    if (filter.resolvedSince !== undefined) {
      const since = filter.resolvedSince;
      q = q.where((eb) => eb.or([eb('state', '<>', 'resolved'), eb('updated_at', '>=', since)]));
    }
    const rows = await q
      .orderBy('since', 'desc')
      .orderBy('id')
      .limit(filter.limit ?? 200)
      .execute();
    return rows.map(toAlert);
  }

  async ack(id: string, by: string, now: number): Promise<void> {
    await this.db
      .updateTable('alerts')
      .set({ acked_by: by, acked_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async addAction(record: AlertActionRecord): Promise<void> {
    await this.db
      .insertInto('alert_actions')
      .values({
        id: record.id,
        alert_id: record.alertId,
        kind: record.kind,
        outcome: record.outcome,
        detail: JSON.stringify(record.detail),
        created_at: record.createdAt,
      })
      .execute();
  }

  async actions(alertId: string): Promise<AlertActionRecord[]> {
    const rows = await this.db
      .selectFrom('alert_actions')
      .selectAll()
      .where('alert_id', '=', alertId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      alertId: r.alert_id,
      kind: r.kind as AlertActionRecord['kind'],
      outcome: r.outcome as AlertActionRecord['outcome'],
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      createdAt: Number(r.created_at),
    }));
  }
}
