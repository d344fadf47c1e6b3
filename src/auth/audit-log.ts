import type { Kysely } from 'kysely';
import { InvalidArgumentError } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { AuthTables } from './tables.js';

/** One mutation, as the audit log keeps it. Secrets never get here: only ids and field names. */
export interface AuditEntry {
  id: number;
  at: number;
  /** Who: `token:ci`, `oidc:alice@corp`, `local:alice` (the CLI), `anonymous`. */
  principal: string;
  /** What: `POST /api/v1/models`, `cli data add`, ... */
  action: string;
  /** The resource it touched, as far as the request names it (`experiment:3`, `model:fraud/2`). */
  target: string;
  /** `ok`, or the error code the request was refused with. */
  outcome: string;
  requestId?: string;
  /** Before / after facts worth keeping: ids, changed field names, status. */
  summary: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
  /** Only entries at or after this epoch-ms time. */
  since?: number;
  principal?: string;
  /** At most this many, newest last (default 100, at most 10,000). */
  limit?: number;
}

/** The append-only audit log: nothing in Gyre updates or deletes its rows. */
export interface AuditLog {
  append(entry: NewAuditEntry): Promise<void>;
  list(query?: AuditQuery): Promise<AuditEntry[]>;
}

export class KyselyAuditLog implements AuditLog {
  private readonly kysely: Kysely<AuthTables>;

  constructor(db: Database) {
    this.kysely = db.kysely.withTables<AuthTables>() as unknown as Kysely<AuthTables>;
  }

  async append(entry: NewAuditEntry): Promise<void> {
    await this.kysely
      .insertInto('audit_log')
      .values({
        at: entry.at,
        principal: entry.principal,
        action: entry.action,
        target: entry.target,
        outcome: entry.outcome,
        request_id: entry.requestId ?? null,
        summary: JSON.stringify(entry.summary),
      })
      .execute();
  }

  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw new InvalidArgumentError('limit must be an integer from 1 to 10000', {
        field: 'limit',
      });
    let select = this.kysely.selectFrom('audit_log').selectAll();
    if (query.since !== undefined) select = select.where('at', '>=', query.since);
    if (query.principal) select = select.where('principal', '=', query.principal);
    // The newest `limit` entries, returned oldest first as a log reads.
    const rows = await select.orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse().map((row) => ({
      id: Number(row.id),
      at: Number(row.at),
      principal: row.principal,
      action: row.action,
      target: row.target,
      outcome: row.outcome,
      ...(row.request_id ? { requestId: row.request_id } : {}),
      summary: JSON.parse(row.summary) as Record<string, unknown>,
    }));
  }
}
