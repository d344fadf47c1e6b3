import { sql, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';

/** Identifies the database itself, so two servers can tell they share one store. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('instance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into instance (id, created_at) values (${randomUUID()}, ${Date.now()})`.execute(
    db,
  );
}
