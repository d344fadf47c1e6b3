import type { Kysely } from 'kysely';

/**
 * Feature store (issue 14): every applied version of an entity, feature view or feature
 * service (content-addressed, so applying the same definitions twice changes nothing); each
 * materialization of a view into the online store; and the embedded online store itself (the
 * latest value per view and entity, one JSON row each).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feature_definitions')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feature_definitions_pk', ['kind', 'name', 'version'])
    .execute();
  await db.schema
    .createTable('feature_materializations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('view_version', 'integer', (c) => c.notNull())
    // The event-time range written: (start_ms, end_ms]; start_ms null for "from the beginning".
    .addColumn('start_ms', 'bigint')
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    // The newest event time among the rows written (null when none were).
    .addColumn('max_event_ms', 'bigint')
    .addColumn('sources', 'text', (c) => c.notNull())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('feature_materializations_by_view')
    .on('feature_materializations')
    .columns(['view', 'created_at'])
    .execute();
  await db.schema
    .createTable('feature_online_values')
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('entity_key', 'text', (c) => c.notNull())
    .addColumn('event_ms', 'bigint', (c) => c.notNull())
    .addColumn('feature_values', 'text', (c) => c.notNull())
    .addColumn('written_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feature_online_values_pk', ['view', 'entity_key'])
    .execute();
}
