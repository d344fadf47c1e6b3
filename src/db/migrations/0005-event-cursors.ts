import type { Kysely } from 'kysely';

/**
 * Per-consumer cursors over the events outbox (issue 9): each consumer (a pipeline trigger,
 * a monitor, ...) remembers the last event id it handled, so a restart resumes where it
 * stopped and no event is skipped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event_cursors')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('last_id', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
