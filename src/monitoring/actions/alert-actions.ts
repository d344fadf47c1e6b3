// What a fired alert does, after the transaction that fired it committed: call a webhook, roll
// back a deployment, pause its rollout. The pipeline action is the fired event itself (emitted
// with the state change); it is recorded here too. Every action is stored with its outcome.
import { newUuid, type Clock, type Logger } from '../../core/index.js';
import type {
  Alert,
  AlertAction,
  AlertActionRecord,
  AlertRule,
} from '../monitors/monitor-types.js';
import type { KyselyAlertStore } from '../store/alert-store.js';

export interface AlertActionPorts {
  /** Rolls a deployment back to its previous revision; returns the new revision. */
  rollback(deployment: string, reason: string): Promise<number>;
  /** Pauses the deployment's rollout; returns whether one was running. */
  pauseRollout(deployment: string, reason: string): Promise<boolean>;
  /** POSTs JSON; resolves with the status code. */
  post(url: string, body: unknown): Promise<number>;
}

const WEBHOOK_TIMEOUT_MS = 5000;

/** A webhook call with a deadline, through the platform's fetch. */
export async function postJson(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

async function run(
  action: AlertAction,
  alert: Alert,
  ports: AlertActionPorts,
): Promise<Record<string, unknown>> {
  const reason = `alert ${alert.rule} fired (monitor ${alert.monitor}, alert ${alert.id})`;
  switch (action.kind) {
    case 'pipeline':
      return { event: 'monitoring.alert.fired', note: 'emitted with the state change' };
    case 'webhook': {
      const status = await ports.post(action.url, { alert });
      if (status >= 300) throw new Error(`the webhook answered ${status}`);
      return { url: action.url, status };
    }
    case 'rollback': {
      const deployment = action.deployment ?? alert.deployment;
      return { deployment, revision: await ports.rollback(deployment, reason) };
    }
    case 'pause-rollout': {
      const deployment = action.deployment ?? alert.deployment;
      return { deployment, paused: await ports.pauseRollout(deployment, reason) };
    }
  }
}

/** Runs a fired alert's actions one after another; a failing one does not stop the rest. */
export async function runAlertActions(
  alert: Alert,
  rule: AlertRule,
  deps: { alerts: KyselyAlertStore; ports: AlertActionPorts; clock: Clock; logger: Logger },
): Promise<AlertActionRecord[]> {
  const records: AlertActionRecord[] = [];
  for (const action of rule.actions) {
    let record: AlertActionRecord;
    try {
      const detail = await run(action, alert, deps.ports);
      record = {
        id: newUuid(),
        alertId: alert.id,
        kind: action.kind,
        outcome: 'succeeded',
        detail,
        createdAt: deps.clock.now(),
      };
    } catch (error) {
      deps.logger.warn({ err: error, alert: alert.id, action: action.kind }, 'alert action failed');
      record = {
        id: newUuid(),
        alertId: alert.id,
        kind: action.kind,
        outcome: 'failed',
        detail: { error: error instanceof Error ? error.message : String(error) },
        createdAt: deps.clock.now(),
      };
    }
    await deps.alerts.addAction(record);
    records.push(record);
  }
  return records;
}
