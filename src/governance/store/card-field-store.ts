import type { GovernanceDb } from './governance-tables.js';

/** What people write on a model card; everything else on it is generated. */
export interface CardFields {
  intendedUse?: string;
  owner?: string;
  limitations?: string;
  /** Who last changed a field, and when (epoch ms). */
  updatedBy?: string;
  updatedAt?: number;
}

export type CardFieldPatch = Partial<Pick<CardFields, 'intendedUse' | 'owner' | 'limitations'>>;

const text = (v: string | null) => (v === null ? undefined : v);

/** The editable fields of model cards, one row per model version. */
export class KyselyCardFieldStore {
  constructor(private readonly db: GovernanceDb) {}

  async get(name: string, version: number): Promise<CardFields> {
    const row = await this.db
      .selectFrom('model_card_fields')
      .selectAll()
      .where('model_name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) return {};
    return {
      intendedUse: text(row.intended_use),
      owner: text(row.owner),
      limitations: text(row.limitations),
      updatedBy: row.updated_by,
      updatedAt: Number(row.updated_at),
    };
  }

  /** Sets the given fields (an empty string clears one), leaving the others as they were. */
  async patch(
    name: string,
    version: number,
    patch: CardFieldPatch,
    by: string,
    now: number,
  ): Promise<void> {
    const cols = {
      ...(patch.intendedUse !== undefined ? { intended_use: patch.intendedUse || null } : {}),
      ...(patch.owner !== undefined ? { owner: patch.owner || null } : {}),
      ...(patch.limitations !== undefined ? { limitations: patch.limitations || null } : {}),
      updated_by: by,
      updated_at: now,
    };
    await this.db
      .insertInto('model_card_fields')
      .values({
        model_name: name,
        version,
        intended_use: null,
        owner: null,
        limitations: null,
        ...cols,
      })
      .onConflict((oc) => oc.columns(['model_name', 'version']).doUpdateSet(cols))
      .execute();
  }
}
