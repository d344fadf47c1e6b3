// Alerts raised by other domains' checks (governance's budgets) through the same engine state:
// pending → firing → resolved in the alerts table, and `monitoring.alert.fired` on firing, so
// they are listed, acknowledged and trigger pipelines like monitors' alerts.
import type { Kysely } from 'kysely';
import { newUuid } from '../../core/index.js';
import type { EventStore, EventTables } from '../../events/index.js';
import type { AlertSeverity } from '../monitoring-snapshot.js';
import type { Alert } from '../monitors/monitor-types.js';
import type { KyselyAlertStore } from '../store/alert-store.js';
import type { MonitoringDb } from '../store/monitoring-tables.js';
import { MONITORING_ALERT_FIRED } from './alert-engine.js';

/** One check's outcome: its source stands where a monitor's name would (`budget:ml-team`). */
export interface ExternalCheck {
  source: string;
  rule: string;
  severity: AlertSeverity;
  /** Whether the alert's condition holds now. */
  held: boolean;
  value: number;
  /** What the alert is about, shown where a deployment would be (`-` for none). */
  subject?: string;
  /** Extra payload of the fired event. */
  payload?: Record<string, unknown>;
}

/** Fires at once when the condition holds, resolves when it stops; at most one open alert. */
export async function applyExternalCheck(
  trx: MonitoringDb,
  deps: { alerts: KyselyAlertStore; events: EventStore },
  check: ExternalCheck,
  now: number,
): Promise<{ alert?: Alert; change: 'fired' | 'still-firing' | 'resolved' | 'none' }> {
  const open = await deps.alerts.open(trx, check.source, check.rule);
  const evidence = { resultId: '', seq: 0, windowEnd: now, value: check.value, held: check.held };
  if (!check.held) {
    if (!open) return { change: 'none' };
    const alert: Alert = {
      ...open,
      state: 'resolved',
      since: now,
      resolvedAt: now,
      evidence: [...open.evidence, evidence].slice(-20),
      updatedAt: now,
    };
    await deps.alerts.save(trx, alert, false);
    return { alert, change: 'resolved' };
  }
  if (open) return { alert: open, change: 'still-firing' };
  const alert: Alert = {
    id: newUuid(),
    monitor: check.source,
    rule: check.rule,
    deployment: check.subject ?? '-',
    severity: check.severity,
    state: 'firing',
    consecutive: 1,
    since: now,
    firedAt: now,
    evidence: [evidence],
    updatedAt: now,
  };
  await deps.alerts.save(trx, alert, true);
  await deps.events.append(
    trx as unknown as Kysely<EventTables>,
    {
      type: MONITORING_ALERT_FIRED,
      subject: `alert:${check.rule}`,
      payload: {
        ...check.payload,
        rule: check.rule,
        monitor: check.source,
        deployment: alert.deployment,
        severity: check.severity,
        alert_id: alert.id,
        value: check.value,
      },
    },
    now,
  );
  return { alert, change: 'fired' };
}
