import { SqliteAdapter, type Kysely } from 'kysely';

/**
 * Versioned datasets (issue 4): datasets and their immutable versions, the transforms that
 * derived versions from others, validation reports, landing zones with their file ledger,
 * and the durable events table pipeline triggers read with a cursor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;

  await db.schema
    .createTable('datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dataset_transforms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dataset_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('artifact_path', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('schema_json', 'text', (c) => c.notNull())
    .addColumn('row_count', 'bigint', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('tags_json', 'text', (c) => c.notNull())
    .addColumn('profile_json', 'text', (c) => c.notNull())
    .addColumn('transform_id', 'text', (c) => c.references('dataset_transforms.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('dataset_versions_number', ['dataset_id', 'version'])
    .addUniqueConstraint('dataset_versions_digest', ['dataset_id', 'digest'])
    .execute();
  await db.schema
    .createIndex('dataset_versions_by_digest')
    .on('dataset_versions')
    .column('digest')
    .execute();

  await db.schema
    .createTable('dataset_transform_inputs')
    .addColumn('transform_id', 'text', (c) => c.notNull().references('dataset_transforms.id'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('source_version_id', 'text', (c) => c.notNull().references('dataset_versions.id'))
    .addPrimaryKeyConstraint('dataset_transform_inputs_pk', ['transform_id', 'alias'])
    .execute();
  await db.schema
    .createIndex('dataset_transform_inputs_by_source')
    .on('dataset_transform_inputs')
    .column('source_version_id')
    .execute();

  await db.schema
    .createTable('dataset_validation_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_name', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.references('dataset_versions.id'))
    .addColumn('suite_name', 'text')
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('report_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dataset_validation_reports_by_version')
    .on('dataset_validation_reports')
    .column('version_id')
    .execute();

  await db.schema
    .createTable('landing_zones')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('dataset_name', 'text', (c) => c.notNull())
    .addColumn('suite_yaml', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // The ledger is the watcher's cursor: one row per file ever processed, written in the same
  // transaction as the version it produced, so a restart neither repeats nor skips a file.
  // The fingerprint (size and modification time) lets a file replaced under the same name
  // count as new.
  await db.schema
    .createTable('landing_files')
    .addColumn('zone_name', 'text', (c) => c.notNull().references('landing_zones.name'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.references('dataset_versions.id'))
    .addColumn('quarantine_path', 'text')
    .addColumn('detail', 'text')
    .addColumn('processed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('landing_files_pk', ['zone_name', 'path', 'fingerprint'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', sqlite ? 'integer' : 'bigserial', (c) =>
      sqlite ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_by_type').on('events').columns(['type', 'id']).execute();
}
