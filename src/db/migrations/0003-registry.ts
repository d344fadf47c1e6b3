import type { Kysely } from 'kysely';

/**
 * The model registry. Versions and tags hang off the model's surrogate id, not its name, so a
 * rename touches one row. `last_version` is the per-model counter versions are allocated from:
 * numbers are never reused, even after the newest version is deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registered_models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('registered_model_tags')
    .addColumn('model_id', 'text', (c) =>
      c.notNull().references('registered_models.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('registered_model_tags_pk', ['model_id', 'key'])
    .execute();
  await db.schema
    .createTable('model_versions')
    .addColumn('model_id', 'text', (c) =>
      c.notNull().references('registered_models.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    // A single-column key lets searches correlate tag rows with one column, like runs.
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('run_link', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('metadata', 'text')
    .addColumn('lineage', 'text')
    .addPrimaryKeyConstraint('model_versions_pk', ['model_id', 'version'])
    .execute();
  await db.schema
    .createIndex('model_versions_run_id')
    .on('model_versions')
    .column('run_id')
    .execute();
  await db.schema
    .createTable('model_version_tags')
    .addColumn('version_id', 'text', (c) =>
      c.notNull().references('model_versions.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_version_tags_pk', ['version_id', 'key'])
    .execute();
  await db.schema
    .createTable('registered_model_aliases')
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('registered_model_aliases_pk', ['model_id', 'alias'])
    .addForeignKeyConstraint(
      'registered_model_aliases_version_fk',
      ['model_id', 'version'],
      'model_versions',
      ['model_id', 'version'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
}
