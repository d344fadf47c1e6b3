import { sql, type Generated, type Kysely } from 'kysely';
import type { Clock } from '../core/index.js';
import { systemClock } from '../core/index.js';
import type { Database } from '../db/index.js';
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

/**
 * The durable outbox every domain may write to. Events are appended inside the writer's own
 * transaction, so an event exists exactly when the change it describes committed.
 */
export interface EventStore {
  /** Appends an event as part of `trx` (a transaction over tables that include `events`). */
  append(trx: Kysely<EventTables>, event: NewEvent, now: number): Promise<number>;
  /** Appends an event in a transaction of its own, for writers with nothing else to commit. */
  emit(event: NewEvent): Promise<number>;
  /** Events after a cursor, oldest first. */
  list(options?: ListEventsOptions): Promise<GyreEvent[]>;
  /**
   * Calls `listener` soon after this process appends an event: a hint that lets in-process
   * consumers react at once. Consumers still poll, which is what other processes rely on.
   * Returns the function that unsubscribes.
   */
  onAppend(listener: () => void): () => void;
}

// Any constant works; it only has to be the same for every writer of the events table.
const EVENTS_LOCK_KEY = 4_711_004;

export class KyselyEventStore implements EventStore {
  private readonly kysely: Kysely<EventTables>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {
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
    // The caller's transaction commits after this returns; by the next turn of the event
    // loop it usually has. A listener that looks too early finds nothing and polls again.
    setImmediate(() => this.notify());
    return Number(row.id);
  }

  emit(event: NewEvent): Promise<number> {
    return this.kysely.transaction().execute((trx) => this.append(trx, event, this.clock.now()));
  }

  async list(options: ListEventsOptions = {}): Promise<GyreEvent[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    let query = this.kysely
      .selectFrom('events')
      .selectAll()
      .where('id', '>', options.afterId ?? 0)
      .orderBy('id')
      .limit(limit);
    const types = typeof options.type === 'string' ? [options.type] : options.type;
    if (types && types.length > 0) query = query.where('type', 'in', types);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      subject: r.subject,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      createdAt: Number(r.created_at),
    }));
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
