// The tables monitoring owns (created by db/migrations/0009-monitoring.ts), as Kysely sees them.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { EventTables } from '../../events/index.js';

export type MonitoringTables = EventTables & {
  monitors: {
    name: string;
    deployment: string;
    spec: string;
    cursor_ms: number | null;
    created_at: number;
    updated_at: number;
  };
  monitor_results: {
    id: string;
    monitor: string;
    seq: number;
    deployment: string;
    window_start: number;
    window_end: number;
    rows: number;
    labelled_rows: number;
    model_version: string | null;
    drift_share: number;
    dataset_drift: number;
    result: string;
    created_at: number;
  };
  feedback_labels: {
    deployment: string;
    key: string;
    request_id: string | null;
    row_index: number | null;
    routing_key: string | null;
    label_time: number | null;
    label: number;
    received_at: number;
  };
  alerts: {
    id: string;
    monitor: string;
    rule: string;
    deployment: string;
    severity: string;
    state: string;
    consecutive: number;
    since: number;
    fired_at: number | null;
    resolved_at: number | null;
    acked_by: string | null;
    acked_at: number | null;
    evidence: string;
    updated_at: number;
  };
  alert_actions: {
    id: string;
    alert_id: string;
    kind: string;
    outcome: string;
    detail: string;
    created_at: number;
  };
  rollouts: {
    deployment: string;
    state: string;
    plan: string;
    base_revision: number;
    step: number;
    step_revision: number | null;
    step_due_at: number | null;
    outcome: string | null;
    created_by: string;
    created_at: number;
    updated_at: number;
  };
  rollout_analyses: {
    id: string;
    deployment: string;
    revision: number;
    step: number;
    decision: string;
    evidence: string;
    created_at: number;
  };
};

export type MonitoringDb = Kysely<MonitoringTables>;

/** The database narrowed to monitoring's tables (and the events outbox). */
export function monitoringDb(database: Database): MonitoringDb {
  return database.kysely.withTables<MonitoringTables>() as unknown as MonitoringDb;
}

/** bigint columns come back as strings from PostgreSQL. */
export const optNum = (v: number | string | null): number | undefined =>
  v === null ? undefined : Number(v);
