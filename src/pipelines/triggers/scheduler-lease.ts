import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../core/index.js';
import type { Database } from '../../db/index.js';
import type { PipelineStore } from '../store/pipeline-store.js';

/**
 * The right to run schedules and triggers: one process at a time holds it. `tryHold` is
 * called every second; it takes the lease when free and reports whether this process holds
 * it now (a holder that lost its database connection finds out here).
 */
export interface SchedulerLease {
  tryHold(): Promise<boolean>;
  release(): Promise<void>;
}

// Any constant works; it only has to be the same for every Gyre sharing the database.
const LEASE_LOCK_KEY = 4_711_009;

/**
 * PostgreSQL: a session advisory lock on a connection kept for as long as it is held. When
 * the holder dies its connection closes and PostgreSQL frees the lock at once, so another
 * server takes over at its next try (within a second or two).
 */
export function advisoryLockLease(db: Database): SchedulerLease {
  let conn: Kysely<unknown> | undefined;
  let letGo: (() => void) | undefined;
  const drop = () => {
    conn = undefined;
    letGo?.();
    letGo = undefined;
  };
  return {
    async tryHold() {
      if (conn) {
        try {
          await sql`select 1`.execute(conn);
          return true;
        } catch {
          drop();
          return false;
        }
      }
      let acquired!: (held: boolean) => void;
      const result = new Promise<boolean>((resolve) => (acquired = resolve));
      void db.kysely
        .connection()
        .execute(async (c) => {
          // Keyed by schema too: Gyres sharing one PostgreSQL database in separate schemas
          // (as the test suites do) each elect their own scheduler.
          const { rows } = await sql<{
            held: boolean;
          }>`select pg_try_advisory_lock(${LEASE_LOCK_KEY}, hashtext(current_schema())) as held`.execute(
            c,
          );
          if (!rows[0]?.held) return acquired(false);
          conn = c as unknown as Kysely<unknown>;
          acquired(true);
          // Keep this connection (and with it the lock) until released or lost.
          await new Promise<void>((resolve) => (letGo = resolve));
          await sql`select pg_advisory_unlock(${LEASE_LOCK_KEY}, hashtext(current_schema()))`
            .execute(c)
            .catch(() => {});
        })
        .catch(() => {
          drop();
          acquired(false);
        });
      return result;
    },
    async release() {
      drop();
    },
  };
}

/** SQLite (one machine): a lease row with an expiry, renewed every try; a dead holder's expires. */
export function tableLease(
  store: PipelineStore,
  holder: string,
  clock: Clock,
  ttlMs = 5000,
): SchedulerLease {
  return {
    tryHold: () => store.tryLease('scheduler', holder, ttlMs, clock.now()),
    release: () => store.releaseLease('scheduler', holder),
  };
}
