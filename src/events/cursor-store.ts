import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';

type CursorTables = {
  event_cursors: { consumer: string; last_id: number; updated_at: number };
  events: { id: number };
};

/** Where each consumer stopped reading the events outbox. */
export interface CursorStore {
  /** The last event id the consumer handled, or undefined before its first read. */
  get(consumer: string): Promise<number | undefined>;
  set(consumer: string, lastId: number, now: number): Promise<void>;
  /** The newest event id (0 when there are none): where a new consumer starts. */
  latestEventId(): Promise<number>;
}

export class KyselyCursorStore implements CursorStore {
  private readonly kysely: Kysely<CursorTables>;

  constructor(db: Database) {
    this.kysely = db.kysely.withTables<CursorTables>() as unknown as Kysely<CursorTables>;
  }

  async get(consumer: string): Promise<number | undefined> {
    const row = await this.kysely
      .selectFrom('event_cursors')
      .select('last_id')
      .where('consumer', '=', consumer)
      .executeTakeFirst();
    return row ? Number(row.last_id) : undefined;
  }

  async set(consumer: string, lastId: number, now: number): Promise<void> {
    await this.kysely
      .insertInto('event_cursors')
      .values({ consumer, last_id: lastId, updated_at: now })
      .onConflict((c) => c.column('consumer').doUpdateSet({ last_id: lastId, updated_at: now }))
      .execute();
  }

  async latestEventId(): Promise<number> {
    const row = await this.kysely
      .selectFrom('events')
      .select(sql<number>`coalesce(max(id), 0)`.as('id'))
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }
}
