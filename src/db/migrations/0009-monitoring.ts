import type { Kysely } from 'kysely';

/**
 * Monitoring (issue 11): monitors over a deployment's prediction log and the result of every
 * window they checked; ground-truth labels sent back for predictions; alerts with their
 * evidence and the actions they ran; rollouts the server drives and each step's analysis.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('monitors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    // The log time (epoch ms) up to which windows were checked; the next window starts after.
    .addColumn('cursor_ms', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('monitor_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitor', 'text', (c) =>
      c.notNull().references('monitors.name').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('labelled_rows', 'integer', (c) => c.notNull())
    .addColumn('model_version', 'text')
    .addColumn('drift_share', 'double precision', (c) => c.notNull())
    .addColumn('dataset_drift', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('monitor_results_seq', ['monitor', 'seq'])
    .execute();
  await db.schema
    .createTable('feedback_labels')
    .addColumn('deployment', 'text', (c) => c.notNull())
    // `r:<request id>:<row>` or `k:<routing key>:<epoch ms>`: one label per prediction.
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('row_index', 'integer')
    .addColumn('routing_key', 'text')
    .addColumn('label_time', 'bigint')
    .addColumn('label', 'double precision', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_labels_pk', ['deployment', 'key'])
    .execute();
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitor', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('consecutive', 'integer', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('fired_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('acked_by', 'text')
    .addColumn('acked_at', 'bigint')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_by_rule').on('alerts').columns(['monitor', 'rule']).execute();
  await db.schema
    .createTable('alert_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('rollouts')
    .addColumn('deployment', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    // The revision before the candidate: where a failed analysis returns.
    .addColumn('base_revision', 'integer', (c) => c.notNull())
    // The next step to take (0-based) and when the current step's pause ends.
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('step_revision', 'integer')
    .addColumn('step_due_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('rollout_analyses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
