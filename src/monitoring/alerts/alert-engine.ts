// Moves each rule's alert along pending → firing → resolved after a window is checked. Runs in
// the transaction that stores the window's result, so a fired alert, its evidence and the
// `monitoring.alert.fired` event commit together or not at all.
import { newUuid } from '../../core/index.js';
import type { EventStore, EventTables } from '../../events/index.js';
import type { Kysely } from 'kysely';
import type { Alert, AlertEvidence, AlertRule, MonitorResult } from '../monitors/monitor-types.js';
import type { KyselyAlertStore } from '../store/alert-store.js';
import type { MonitoringDb } from '../store/monitoring-tables.js';
import { evaluateRule, parseRuleExpression } from './rule-expression.js';

/** The event pipelines' `alert: <rule>` triggers consume (see pipelines' trigger-events). */
export const MONITORING_ALERT_FIRED = 'monitoring.alert.fired';

/** Evidence kept per alert: the latest windows. */
const MAX_EVIDENCE = 20;

export interface AlertTransition {
  alert: Alert;
  rule: AlertRule;
  /** What happened to it in this window. */
  change: 'pending' | 'fired' | 'still-pending' | 'still-firing' | 'resolved';
}

export async function applyAlertRules(
  trx: MonitoringDb,
  deps: {
    alerts: KyselyAlertStore;
    events: EventStore;
    /** Extra payload for fired events (e.g. the dataset version to retrain on). */
    extras?: Record<string, unknown>;
  },
  rules: AlertRule[],
  result: MonitorResult,
  now: number,
): Promise<AlertTransition[]> {
  const transitions: AlertTransition[] = [];
  for (const rule of rules) {
    const { held, value } = evaluateRule(parseRuleExpression(rule.when), result);
    const evidence: AlertEvidence = {
      resultId: result.id,
      seq: result.seq,
      windowEnd: result.windowEnd,
      value,
      held,
    };
    const open = await deps.alerts.open(trx, result.monitor, rule.name);
    if (!held) {
      if (!open) continue;
      const alert: Alert = {
        ...open,
        state: 'resolved',
        since: now,
        resolvedAt: now,
        evidence: [...open.evidence, evidence].slice(-MAX_EVIDENCE),
        updatedAt: now,
      };
      await deps.alerts.save(trx, alert, false);
      transitions.push({ alert, rule, change: 'resolved' });
      continue;
    }
    const alert: Alert = open
      ? {
          ...open,
          consecutive: open.consecutive + 1,
          evidence: [...open.evidence, evidence].slice(-MAX_EVIDENCE),
          updatedAt: now,
        }
      : {
          id: newUuid(),
          monitor: result.monitor,
          rule: rule.name,
          deployment: result.deployment,
          severity: rule.severity,
          state: 'pending',
          consecutive: 1,
          since: now,
          evidence: [evidence],
          updatedAt: now,
        };
    let change: AlertTransition['change'] =
      alert.state === 'firing' ? 'still-firing' : open ? 'still-pending' : 'pending';
    if (alert.state === 'pending' && alert.consecutive >= rule.for) {
      const last = await deps.alerts.lastFiredAt(trx, result.monitor, rule.name);
      if (last === undefined || now - last >= rule.cooldownMs) {
        alert.state = 'firing';
        alert.since = now;
        alert.firedAt = now;
        change = 'fired';
      }
    }
    await deps.alerts.save(trx, alert, !open);
    if (change === 'fired') {
      const pipeline = rule.actions.find((a) => a.kind === 'pipeline');
      await deps.events.append(
        trx as unknown as Kysely<EventTables>,
        {
          type: MONITORING_ALERT_FIRED,
          subject: `alert:${rule.name}`,
          payload: {
            ...deps.extras,
            ...(pipeline?.kind === 'pipeline' ? pipeline.params : {}),
            rule: rule.name,
            deployment: result.deployment,
            severity: rule.severity,
            monitor: result.monitor,
            alert_id: alert.id,
            value,
            window_end: result.windowEnd,
            result_id: result.id,
          },
        },
        now,
      );
    }
    transitions.push({ alert, rule, change });
  }
  return transitions;
}
