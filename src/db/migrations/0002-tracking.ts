import { PostgresAdapter, sql, type Kysely } from 'kysely';

// A newer point replaces the latest one when its step is higher, or its step equal and its
// timestamp later, or both equal and it is NaN or not smaller (MLflow's max of step,
// timestamp, value).
const IS_LATER = `excluded.step > run_latest_metrics.step
  or (excluded.step = run_latest_metrics.step and excluded.timestamp > run_latest_metrics.timestamp)
  or (excluded.step = run_latest_metrics.step and excluded.timestamp = run_latest_metrics.timestamp
      and (excluded.is_nan = 1 or (run_latest_metrics.is_nan = 0 and excluded.value >= run_latest_metrics.value)))`;

const UPSERT_LATEST = `on conflict (run_uuid, key) do update set value = excluded.value,
  is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step where ${IS_LATER}`;

/**
 * Keeps run_latest_metrics current inside the very statement that appends to the history, so
 * logging one metric is one statement (no explicit transaction) and no writer can forget it.
 * SQLite fires per row; PostgreSQL once per statement over the inserted rows.
 */
async function createLatestMetricTrigger(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql
      .raw(
        `create function run_metrics_keep_latest() returns trigger language plpgsql as $$
        begin
          insert into run_latest_metrics (run_uuid, key, value, is_nan, timestamp, step)
          select distinct on (run_uuid, key) run_uuid, key, value, is_nan, timestamp, step
          from inserted
          order by run_uuid, key, step desc, timestamp desc, is_nan desc, value desc
          ${UPSERT_LATEST};
          return null;
        end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger run_metrics_keep_latest after insert on run_metrics
         referencing new table as inserted for each statement
         execute function run_metrics_keep_latest()`,
      )
      .execute(db);
    return;
  }
  await sql
    .raw(
      `create trigger run_metrics_keep_latest after insert on run_metrics begin
         insert into run_latest_metrics (run_uuid, key, value, is_nan, timestamp, step)
         values (new.run_uuid, new.key, new.value, new.is_nan, new.timestamp, new.step)
         ${UPSERT_LATEST};
       end`,
    )
    .execute(db);
}

/**
 * Experiment tracking: experiments, runs and their params, tags, metrics (full history plus
 * the latest value per key, kept for search), dataset inputs and outputs. The metric tables
 * carry no foreign keys: they take the bulk of the writes, and runs are never hard-deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('experiments')
    .addColumn('experiment_id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('artifact_location', 'text', (c) => c.notNull())
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addColumn('last_update_time', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('experiment_tags')
    .addColumn('experiment_id', 'integer', (c) =>
      c.notNull().references('experiments.experiment_id'),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
    .execute();
  await db.schema
    .createTable('runs')
    .addColumn('run_uuid', 'text', (c) => c.primaryKey())
    .addColumn('experiment_id', 'integer', (c) =>
      c.notNull().references('experiments.experiment_id'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_time', 'bigint', (c) => c.notNull())
    .addColumn('end_time', 'bigint')
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
    .addColumn('artifact_uri', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'bigint')
    .execute();
  await db.schema
    .createIndex('runs_experiment_start')
    .on('runs')
    .columns(['experiment_id', 'start_time'])
    .execute();
  for (const table of ['run_params', 'run_tags']) {
    await db.schema
      .createTable(table)
      .addColumn('run_uuid', 'text', (c) => c.notNull().references('runs.run_uuid'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['run_uuid', 'key'])
      .execute();
  }
  await db.schema
    .createTable('run_metrics')
    .addColumn('run_uuid', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('run_metrics_history')
    .on('run_metrics')
    .columns(['run_uuid', 'key', 'step', 'timestamp'])
    .execute();
  await db.schema
    .createTable('run_latest_metrics')
    .addColumn('run_uuid', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_latest_metrics_pk', ['run_uuid', 'key'])
    .execute();
  await db.schema
    .createTable('run_inputs')
    .addColumn('run_uuid', 'text', (c) => c.notNull().references('runs.run_uuid'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('context', 'text')
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('schema', 'text')
    .addColumn('profile', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_inputs_pk', ['run_uuid', 'name', 'digest'])
    .execute();
  await db.schema
    .createTable('run_outputs')
    .addColumn('run_uuid', 'text', (c) => c.notNull().references('runs.run_uuid'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_outputs_pk', ['run_uuid', 'kind', 'name', 'version'])
    .execute();
  await createLatestMetricTrigger(db);
  // MLflow's Default experiment exists from the first start.
  const now = Date.now();
  await sql`insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
    values (0, 'Default', 'mlflow-artifacts:/0', 'active', ${now}, ${now})`.execute(db);
}
