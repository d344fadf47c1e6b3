import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';

type PiiTables = {
  dataset_pii_tags: {
    dataset: string;
    column_name: string;
    kind: string;
    tagged_by: string;
    tagged_at: number;
  };
};

export interface PiiTag {
  column: string;
  kind: string;
  taggedBy: string;
  taggedAt: number;
}

/** PII tags of dataset columns; they hold for every version of the dataset. */
export class KyselyPiiTagStore {
  private readonly db: Kysely<PiiTables>;

  constructor(database: Database) {
    this.db = database.kysely.withTables<PiiTables>() as unknown as Kysely<PiiTables>;
  }

  async list(dataset: string): Promise<PiiTag[]> {
    const rows = await this.db
      .selectFrom('dataset_pii_tags')
      .selectAll()
      .where('dataset', '=', dataset)
      .orderBy('column_name')
      .execute();
    return rows.map((r) => ({
      column: r.column_name,
      kind: r.kind,
      taggedBy: r.tagged_by,
      taggedAt: Number(r.tagged_at),
    }));
  }

  /** Sets tags (column → kind) in one transaction; `null` removes a column's tag. */
  async set(
    dataset: string,
    tags: Record<string, string | null>,
    by: string,
    now: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [column, kind] of Object.entries(tags)) {
        await trx
          .deleteFrom('dataset_pii_tags')
          .where('dataset', '=', dataset)
          .where('column_name', '=', column)
          .execute();
        if (kind !== null)
          await trx
            .insertInto('dataset_pii_tags')
            .values({ dataset, column_name: column, kind, tagged_by: by, tagged_at: now })
            .execute();
      }
    });
  }
}
