// Ground-truth labels sent back for predictions: one per prediction (deployment + key), so
// re-sending a label changes nothing and a different label for the same prediction corrects it.
import type { MonitoringDb } from './monitoring-tables.js';

export interface StoredLabel {
  key: string;
  requestId?: string;
  rowIndex?: number;
  routingKey?: string;
  labelTime?: number;
  label: number;
}

export interface FeedbackCounts {
  /** New labels stored. */
  accepted: number;
  /** Labels already stored with the same value: nothing changed. */
  duplicates: number;
  /** Labels that replaced a different earlier value for the same prediction. */
  updated: number;
}

const CHUNK = 500;

export class KyselyFeedbackStore {
  constructor(private readonly db: MonitoringDb) {}

  /** Stores a batch in one transaction: all of it or none. */
  async put(deployment: string, labels: StoredLabel[], now: number): Promise<FeedbackCounts> {
    const counts: FeedbackCounts = { accepted: 0, duplicates: 0, updated: 0 };
    // The last label of a key within one batch wins.
    const byKey = new Map(labels.map((l) => [l.key, l]));
    const unique = [...byKey.values()];
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < unique.length; i += CHUNK) {
        const chunk = unique.slice(i, i + CHUNK);
        const existing = new Map(
          (
            await trx
              .selectFrom('feedback_labels')
              .select(['key', 'label'])
              .where('deployment', '=', deployment)
              .where(
                'key',
                'in',
                chunk.map((l) => l.key),
              )
              .execute()
          ).map((r) => [r.key, Number(r.label)]),
        );
        const fresh = chunk.filter((l) => !existing.has(l.key));
        if (fresh.length > 0)
          await trx
            .insertInto('feedback_labels')
            .values(
              fresh.map((l) => ({
                deployment,
                key: l.key,
                request_id: l.requestId ?? null,
                row_index: l.rowIndex ?? null,
                routing_key: l.routingKey ?? null,
                label_time: l.labelTime ?? null,
                label: l.label,
                received_at: now,
              })),
            )
            .execute();
        counts.accepted += fresh.length;
        for (const l of chunk) {
          const before = existing.get(l.key);
          if (before === undefined) continue;
          if (before === l.label) counts.duplicates++;
          else {
            counts.updated++;
            await trx
              .updateTable('feedback_labels')
              .set({ label: l.label, received_at: now })
              .where('deployment', '=', deployment)
              .where('key', '=', l.key)
              .execute();
          }
        }
      }
    });
    counts.duplicates += labels.length - unique.length;
    return counts;
  }

  /** Labels received at or after `since` (epoch ms): those that can belong to a window from then on. */
  async receivedSince(deployment: string, since: number): Promise<StoredLabel[]> {
    const rows = await this.db
      .selectFrom('feedback_labels')
      .selectAll()
      .where('deployment', '=', deployment)
      .where('received_at', '>=', since)
      .execute();
    return rows.map((r) => ({
      key: r.key,
      ...(r.request_id !== null ? { requestId: r.request_id } : {}),
      ...(r.row_index !== null ? { rowIndex: Number(r.row_index) } : {}),
      ...(r.routing_key !== null ? { routingKey: r.routing_key } : {}),
      ...(r.label_time !== null ? { labelTime: Number(r.label_time) } : {}),
      label: Number(r.label),
    }));
  }

  async count(deployment: string): Promise<number> {
    const row = await this.db
      .selectFrom('feedback_labels')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('deployment', '=', deployment)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
