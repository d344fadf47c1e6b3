import { sql, type Generated, type Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { GyreEvent, ListEventsOptions, NewEvent } from './event-types.js';

export type EventTables = {
  events: {
    id: Generated<number>;
    type: string;
    subject: string;
    payload: string;
    created_at: number;
  };
};

/** Durable events: appended inside a caller's transaction, read in id order with a cursor. */
export interface EventStore {
  /** Appends an event as part of `trx` (a transaction over tables that include `events`), so it commits or rolls back with the caller's write. */
  append(trx: Kysely<EventTables>, event: NewEvent, now: number): Promise<number>;
  /** Events after a cursor, oldest first. */
  list(options?: ListEventsOptions): Promise<GyreEvent[]>;
}

// Any constant works; it only has to be the same for every writer of the events table.
const EVENTS_LOCK_KEY = 4_711_004;

export class KyselyEventStore implements EventStore {
  private readonly kysely: Kysely<EventTables>;

  constructor(private readonly db: Database) {
    // The foundation's tables are of no use here; narrowing the type keeps queries to our own.
    this.kysely = db.kysely.withTables<EventTables>() as unknown as Kysely<EventTables>;
  }

  async append(trx: Kysely<EventTables>, event: NewEvent, now: number): Promise<number> {
    // PostgreSQL hands out serial ids before commit, so two concurrent writers could commit
    // ids out of order and a cursor reader would skip the lower one. Serialising event
    // writers with a transaction-scoped lock makes commit order equal id order. SQLite
    // already allows one writer at a time.
    if (this.db.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${EVENTS_LOCK_KEY})`.execute(trx);
    }
    const row = await trx
      .insertInto('events')
      .values({
        type: event.type,
        subject: event.subject,
        payload: JSON.stringify(event.payload),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async list(options: ListEventsOptions = {}): Promise<GyreEvent[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    let query = this.kysely
      .selectFrom('events')
      .selectAll()
      .where('id', '>', options.afterId ?? 0)
      .orderBy('id')
      .limit(limit);
    if (options.type) query = query.where('type', '=', options.type);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      subject: r.subject,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      createdAt: Number(r.created_at),
    }));
  }
}
