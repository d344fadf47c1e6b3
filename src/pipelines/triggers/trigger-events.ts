import { DATASET_VERSION_CREATED } from '../../data/index.js';
import { MODEL_ALIAS_CHANGED, MODEL_VERSION_CREATED } from '../../registry/index.js';

/**
 * The event monitoring emits when an alert rule fires; pipelines with an `alert: <rule>`
 * trigger retrain on it. Monitoring may not import pipelines (nor pipelines monitoring), so
 * this contract is the whole interface between them: emit this type with this payload.
 */
export const MONITORING_ALERT_FIRED = 'monitoring.alert.fired';

export interface AlertFiredPayload {
  /** The alert rule's name: what `alert: <rule>` triggers match. */
  rule: string;
  /** The deployment the alert is about. */
  deployment: string;
  severity: 'info' | 'warning' | 'critical';
  [key: string]: unknown;
}

/** Every event type pipeline triggers react to. */
export const TRIGGER_EVENT_TYPES = [
  DATASET_VERSION_CREATED,
  MODEL_VERSION_CREATED,
  MODEL_ALIAS_CHANGED,
  MONITORING_ALERT_FIRED,
] as const;
