import type { Kysely } from 'kysely';

/**
 * Pipelines (issue 9): pipelines versioned by content, runs and their steps, step logs, the
 * step cache, trigger firings (the idempotency ledger that keeps a trigger from running
 * twice), schedule state, the processes that own runs (for crash recovery) and the lease
 * that elects one scheduler among several servers on SQLite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipelines')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pipeline_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_name', 'text', (c) => c.notNull().references('pipelines.name'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('spec_json', 'text', (c) => c.notNull())
    // The directory the YAML came from: its git commit is part of the step cache key.
    .addColumn('source_dir', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('pipeline_versions_number', ['pipeline_name', 'version'])
    .addUniqueConstraint('pipeline_versions_digest', ['pipeline_name', 'digest'])
    .execute();

  await db.schema
    .createTable('pipeline_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_name', 'text', (c) => c.notNull())
    .addColumn('pipeline_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('params_json', 'text', (c) => c.notNull())
    .addColumn('trigger_json', 'text', (c) => c.notNull())
    .addColumn('tracking_run_id', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('no_cache', 'integer', (c) => c.notNull())
    .addColumn('cancel_requested', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('pipeline_runs_by_pipeline')
    .on('pipeline_runs')
    .columns(['pipeline_name', 'created_at'])
    .execute();
  await db.schema
    .createIndex('pipeline_runs_by_status')
    .on('pipeline_runs')
    .column('status')
    .execute();

  await db.schema
    .createTable('pipeline_steps')
    .addColumn('run_id', 'text', (c) => c.notNull().references('pipeline_runs.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('outputs_json', 'text')
    .addColumn('cache_key', 'text')
    .addColumn('tracking_run_id', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('wall_ms', 'bigint')
    .addColumn('cpu_ms', 'bigint')
    .addColumn('peak_rss_bytes', 'bigint')
    // The running process, so a restart can kill what a crashed owner left behind.
    .addColumn('host', 'text')
    .addColumn('pid', 'integer')
    .addColumn('pgid', 'integer')
    .addColumn('proc_start', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'bigint')
    .addPrimaryKeyConstraint('pipeline_steps_pk', ['run_id', 'step'])
    .execute();

  await db.schema
    .createTable('pipeline_step_logs')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pipeline_step_logs_pk', ['run_id', 'step', 'seq'])
    .execute();

  await db.schema
    .createTable('pipeline_cache')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_name', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('outputs_json', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // One row per trigger firing: the unique key (consumer + event id, or schedule + time)
  // is written in the same transaction as the run, so a firing runs exactly once.
  await db.schema
    .createTable('pipeline_trigger_fires')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pipeline_schedules')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('last_fired_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pipeline_owners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pipeline_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}
