// The tables governance owns (created by db/migrations/0011-governance.ts), as Kysely sees them.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';

export type GovernanceTables = {
  model_card_fields: {
    model_name: string;
    version: number;
    intended_use: string | null;
    owner: string | null;
    limitations: string | null;
    updated_by: string;
    updated_at: number;
  };
  budgets: {
    name: string;
    scope: string;
    target: string;
    amount_usd: number;
    period_days: number;
    thresholds: string;
    created_by: string;
    created_at: number;
    updated_at: number;
  };
};

export type GovernanceDb = Kysely<GovernanceTables>;

/** The database narrowed to governance's tables. */
export function governanceDb(database: Database): GovernanceDb {
  return database.kysely.withTables<GovernanceTables>() as unknown as GovernanceDb;
}
