import { sql } from 'kysely';
import type { Database } from '../../../db/index.js';
import type { FeatureDb, FeatureTables } from '../../store.js';
import type { OnlineRecord, OnlineStore, OnlineValue, OnlineWrite } from '../online-store.js';

/** Rows per INSERT: 5 parameters each stays far below SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/**
 * The online store in the metadata database (SQLite embedded, PostgreSQL in a cluster): one
 * row per view and entity, the values as JSON. Nothing more to run, and reads are a primary
 * key lookup.
 */
export class SqlOnlineStore implements OnlineStore {
  readonly kind = 'sql';
  private readonly db: FeatureDb;

  constructor(
    database: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.db = database.kysely.withTables<FeatureTables>() as unknown as FeatureDb;
  }

  async write(view: string, rows: readonly OnlineWrite[]): Promise<void> {
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx
          .insertInto('feature_online_values')
          .values(
            rows.slice(i, i + CHUNK).map((r) => ({
              view,
              entity_key: r.entityKey,
              event_ms: r.eventMs,
              feature_values: JSON.stringify(r.values),
              written_at: at,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['view', 'entity_key'])
              .doUpdateSet({
                event_ms: (eb) => eb.ref('excluded.event_ms'),
                feature_values: (eb) => eb.ref('excluded.feature_values'),
                written_at: (eb) => eb.ref('excluded.written_at'),
              })
              .where(sql.ref('feature_online_values.event_ms'), '<=', sql.ref('excluded.event_ms')),
          )
          .execute();
      }
    });
  }

  async read(view: string, entityKeys: readonly string[]): Promise<(OnlineRecord | undefined)[]> {
    if (entityKeys.length === 0) return [];
    const rows = await this.db
      .selectFrom('feature_online_values')
      .select(['entity_key', 'event_ms', 'feature_values'])
      .where('view', '=', view)
      .where('entity_key', 'in', [...new Set(entityKeys)])
      .execute();
    const byKey = new Map(
      rows.map((r) => [
        r.entity_key,
        {
          eventMs: Number(r.event_ms),
          values: JSON.parse(r.feature_values) as Record<string, OnlineValue>,
        },
      ]),
    );
    return entityKeys.map((k) => byKey.get(k));
  }

  async close(): Promise<void> {
    // The metadata database belongs to the composition root.
  }
}
