import type { GovernanceDb } from './governance-tables.js';

export const BUDGET_SCOPES = ['experiment', 'model', 'team'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

/** A spending limit on what one experiment, model or team costs over a rolling period. */
export interface Budget {
  name: string;
  scope: BudgetScope;
  /** The experiment name, registered model name or team tag value. */
  target: string;
  amountUsd: number;
  periodDays: number;
  /** Fractions of the amount that raise an alert, ascending, e.g. [0.8, 1]. */
  thresholds: number[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export class KyselyBudgetStore {
  constructor(private readonly db: GovernanceDb) {}

  async list(): Promise<Budget[]> {
    const rows = await this.db.selectFrom('budgets').selectAll().orderBy('name').execute();
    return rows.map((r) => ({
      name: r.name,
      scope: r.scope as BudgetScope,
      target: r.target,
      amountUsd: Number(r.amount_usd),
      periodDays: Number(r.period_days),
      thresholds: JSON.parse(r.thresholds) as number[],
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  /** Creates or replaces a budget (keeping when and by whom it was created). */
  async put(budget: Budget): Promise<void> {
    const cols = {
      scope: budget.scope,
      target: budget.target,
      amount_usd: budget.amountUsd,
      period_days: budget.periodDays,
      thresholds: JSON.stringify(budget.thresholds),
      updated_at: budget.updatedAt,
    };
    await this.db
      .insertInto('budgets')
      .values({
        name: budget.name,
        ...cols,
        created_by: budget.createdBy,
        created_at: budget.createdAt,
      })
      .onConflict((oc) => oc.column('name').doUpdateSet(cols))
      .execute();
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('budgets').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
