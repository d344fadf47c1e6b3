import { InvalidArgumentError, NotFoundError, type Clock } from '../../core/index.js';
import type { MonitoringService } from '../../monitoring/index.js';
import {
  BUDGET_SCOPES,
  type Budget,
  type BudgetScope,
  type KyselyBudgetStore,
} from '../store/budget-store.js';
import type { CostService } from './cost-service.js';

export interface BudgetInput {
  name: string;
  scope: string;
  target: string;
  amountUsd: number;
  periodDays?: number;
  thresholds?: number[];
}

/** Where a budget stands over its current period. */
export interface BudgetStatus extends Budget {
  since: number;
  spentUsd: number;
  /** Spent / amount. */
  fraction: number;
  /** The thresholds reached. */
  crossed: number[];
  /** The alert rule of each threshold: `budget-<name>-<percent>`. */
  rules: { threshold: number; rule: string; state: 'ok' | 'firing' }[];
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const ruleOf = (name: string, threshold: number) => `budget-${name}-${Math.round(threshold * 100)}`;

/**
 * Budgets per experiment, model or team: spend over a rolling period from the cost report,
 * and an alert per threshold through monitoring's alert engine (firing while the spend is at
 * or past it, resolved when the period rolls past it), so budget alerts are listed, acknowledged
 * and can trigger pipelines like any other.
 */
export class BudgetService {
  constructor(
    private readonly deps: {
      store: KyselyBudgetStore;
      costs: CostService;
      monitoring: MonitoringService;
      clock: Clock;
    },
  ) {}

  async put(input: BudgetInput, by: string): Promise<Budget> {
    if (!NAME.test(input.name))
      throw new InvalidArgumentError('name: letters, digits, _ . - (at most 64)', {
        field: 'name',
      });
    if (!(BUDGET_SCOPES as readonly string[]).includes(input.scope))
      throw new InvalidArgumentError(`scope ${input.scope}: use ${BUDGET_SCOPES.join(', ')}`, {
        field: 'scope',
      });
    if (!input.target)
      throw new InvalidArgumentError('target: name the experiment, model or team', {
        field: 'target',
      });
    if (!(input.amountUsd > 0))
      throw new InvalidArgumentError('amountUsd must be more than 0', { field: 'amountUsd' });
    const periodDays = input.periodDays ?? 30;
    if (!Number.isInteger(periodDays) || periodDays < 1)
      throw new InvalidArgumentError('periodDays must be a whole number of 1 or more', {
        field: 'periodDays',
      });
    const thresholds = [...(input.thresholds ?? [0.8, 1])].sort((a, b) => a - b);
    if (thresholds.length === 0 || thresholds.some((t) => !(t > 0) || t > 10))
      throw new InvalidArgumentError('thresholds: fractions of the amount, e.g. [0.8, 1]', {
        field: 'thresholds',
      });
    const now = this.deps.clock.now();
    const existing = (await this.deps.store.list()).find((b) => b.name === input.name);
    const budget: Budget = {
      name: input.name,
      scope: input.scope as BudgetScope,
      target: input.target,
      amountUsd: input.amountUsd,
      periodDays,
      thresholds,
      createdBy: existing?.createdBy ?? by,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.deps.store.put(budget);
    return budget;
  }

  list(): Promise<Budget[]> {
    return this.deps.store.list();
  }

  async delete(name: string): Promise<void> {
    if (!(await this.deps.store.delete(name)))
      throw new NotFoundError(`budget ${name} does not exist`, { budget: name });
  }

  /** Every budget's spend now; with `alert`, moves each threshold's alert to match. */
  async check(options: { alert?: boolean } = {}): Promise<BudgetStatus[]> {
    const now = this.deps.clock.now();
    const out: BudgetStatus[] = [];
    for (const budget of await this.deps.store.list()) {
      const since = now - budget.periodDays * 86_400_000;
      const report = await this.deps.costs.report({ by: budget.scope, since, until: now });
      const spentUsd = report.groups.find((g) => g.key === budget.target)?.totalUsd ?? 0;
      const fraction = spentUsd / budget.amountUsd;
      const rules: BudgetStatus['rules'] = [];
      for (const threshold of budget.thresholds) {
        const held = fraction >= threshold;
        const rule = ruleOf(budget.name, threshold);
        if (options.alert)
          await this.deps.monitoring.raiseAlert({
            source: `budget:${budget.name}`,
            rule,
            severity: threshold >= 1 ? 'critical' : 'warning',
            held,
            value: spentUsd,
            subject: `${budget.scope}:${budget.target}`,
            payload: {
              budget: budget.name,
              scope: budget.scope,
              target: budget.target,
              amount_usd: budget.amountUsd,
              threshold,
            },
          });
        rules.push({ threshold, rule, state: held ? 'firing' : 'ok' });
      }
      out.push({
        ...budget,
        since,
        spentUsd,
        fraction,
        crossed: budget.thresholds.filter((t) => fraction >= t),
        rules,
      });
    }
    return out;
  }
}
