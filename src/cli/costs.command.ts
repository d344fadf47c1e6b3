import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import { userInfo } from 'node:os';
import {
  BUDGET_SCOPES,
  COST_DIMENSIONS,
  parseSince,
  type BudgetStatus,
  type CostReport,
} from '../governance/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

const usd = (v: number) => (v === 0 ? '0' : v < 0.01 ? v.toExponential(2) : v.toFixed(2));
const num = (v: number, d = 1) => (Number.isInteger(v) ? String(v) : v.toFixed(d));

const COLUMNS = [
  'runs',
  'steps',
  'predictions',
  'cpuSeconds',
  'wallSeconds',
  'gibHours',
  'pipelineUsd',
  'servingUsd',
  'totalUsd',
] as const;

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function printCsv(ctx: CliContext, report: CostReport): void {
  ctx.stdout.write(`${[report.by, ...COLUMNS].join(',')}\n`);
  for (const g of report.groups)
    ctx.stdout.write(`${[g.key, ...COLUMNS.map((c) => g[c])].map(csvField).join(',')}\n`);
}

function printReport(ctx: CliContext, report: CostReport): void {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  ctx.stdout.write(
    `costs by ${report.by}, ${day(report.since)} → ${day(report.until)} UTC (CPU $${report.rates.cpuHourUsd}/h, memory $${report.rates.memoryGibHourUsd}/GiB-h, serving CPU $${report.rates.servingCpuHourUsd}/h)\n`,
  );
  const row = (key: string, g: CostReport['totals']) => [
    key,
    g.runs,
    g.steps,
    g.predictions,
    num(g.cpuSeconds),
    num(g.wallSeconds),
    num(g.gibHours, 4),
    usd(g.pipelineUsd),
    usd(g.servingUsd),
    usd(g.totalUsd),
  ];
  printTable(
    ctx,
    [
      report.by.toUpperCase(),
      'RUNS',
      'STEPS',
      'PREDICTIONS',
      'CPU S',
      'WALL S',
      'GIB-H',
      'PIPELINES $',
      'SERVING $',
      'TOTAL $',
    ],
    [...report.groups.map((g) => row(g.key, g)), row('TOTAL', report.totals)],
  );
  for (const note of report.notes) ctx.stdout.write(`note: ${note}\n`);
}

function printBudgets(ctx: CliContext, statuses: BudgetStatus[]): void {
  printTable(
    ctx,
    ['BUDGET', 'SCOPE', 'TARGET', 'PERIOD', 'SPENT $', 'AMOUNT $', 'USED', 'ALERTS'],
    statuses.map((b) => [
      b.name,
      b.scope,
      b.target,
      `${b.periodDays}d`,
      usd(b.spentUsd),
      usd(b.amountUsd),
      `${(b.fraction * 100).toFixed(1)}%`,
      b.rules.map((r) => `${Math.round(r.threshold * 100)}%:${r.state}`).join(' '),
    ]),
  );
}

function registerBudgetCommands(costs: Command, ctx: CliContext): void {
  const budget = costs
    .command('budget')
    .description('spending limits per experiment, model or team, alerting at thresholds');
  budget
    .command('set <name>')
    .description('create or change a budget')
    .requiredOption('--scope <scope>', BUDGET_SCOPES.join(' | '))
    .requiredOption('--target <target>', 'the experiment, registered model or team tag value')
    .requiredOption('--amount <usd>', 'US dollars per period')
    .option('--period <days>', 'rolling period in days', '30')
    .option('--thresholds <fractions>', 'alert at these fractions of the amount', '0.8,1')
    .addHelpText(
      'after',
      `
Example:
  gyre costs budget set pricing --scope team --target pricing-team --amount 50 --thresholds 0.5,0.8,1`,
    )
    .action(
      (
        name: string,
        o: { scope: string; target: string; amount: string; period: string; thresholds: string },
      ) =>
        withGyre(
          ctx,
          async (gyre) => {
            const b = await gyre.governance.budgets.put(
              {
                name,
                scope: o.scope,
                target: o.target,
                amountUsd: Number(o.amount),
                periodDays: Number(o.period),
                thresholds: o.thresholds.split(',').map(Number),
              },
              `local:${userInfo().username}`,
            );
            ctx.stdout.write(
              `budget ${b.name}: $${b.amountUsd} per ${b.periodDays} days for ${b.scope} ${b.target}, alerts at ${b.thresholds.map((t) => `${t * 100}%`).join(', ')}\n`,
            );
          },
          { writes: true },
        ),
    );
  budget
    .command('list')
    .description('budgets and what each has spent in its current period')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const statuses = await gyre.governance.budgets.check();
        if (o.json) printJson(ctx, statuses);
        else printBudgets(ctx, statuses);
      }),
    );
  budget
    .command('check')
    .description('check every budget now and move its alerts (a server does this every 15 minutes)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withGyre(
        ctx,
        async (gyre) => {
          const statuses = await gyre.governance.budgets.check({ alert: true });
          if (o.json) printJson(ctx, statuses);
          else printBudgets(ctx, statuses);
        },
        { writes: true },
      ),
    );
  budget
    .command('delete <name>')
    .description('delete a budget (its alerts stay in the history)')
    .action((name: string) =>
      withGyre(
        ctx,
        async (gyre) => {
          await gyre.governance.budgets.delete(name);
          ctx.stdout.write(`deleted budget ${name}\n`);
        },
        { writes: true },
      ),
    );
}

/** `gyre costs report`, `gyre costs team` and `gyre costs budget …`. */
export function registerCostsCommand(program: Command, ctx: CliContext): void {
  const costs = program
    .command('costs')
    .description(
      'what pipelines and deployments cost, from recorded resource use and the rate card',
    );
  costs
    .command('report')
    .description('CPU, memory and serving costs grouped by team, model, experiment or pipeline')
    .option('--by <dimension>', COST_DIMENSIONS.join(' | '), 'team')
    .option('--since <when>', 'a duration back from now (30d, 12h) or an ISO date', '30d')
    .option('--until <when>', 'an ISO date (default: now)')
    .option('--format <format>', 'table | csv | json', 'table')
    .addHelpText(
      'after',
      `
A run's team is the "team" tag of its pipeline's experiment (gyre costs team <pipeline> <team>)
or of its tracking run; a deployment's is the "team" tag of the model it serves. Prices come
from governance.cpuHourPriceUsd, governance.memoryGibHourPriceUsd and monitoring.cpuHourPriceUsd.

Examples:
  gyre costs report --by team --since 30d
  gyre costs report --by model --since 2026-11-01 --format csv > costs.csv`,
    )
    .action((o: { by: string; since: string; until?: string; format: string }) =>
      withGyre(ctx, async (gyre) => {
        if (!['table', 'csv', 'json'].includes(o.format))
          throw new InvalidArgumentError(`--format ${o.format}: use table, csv or json`, {
            field: 'format',
          });
        const now = Date.now();
        const report = await gyre.governance.costs.report({
          by: o.by,
          since: parseSince(o.since, now),
          until: o.until === undefined ? now : parseSince(o.until, now),
        });
        if (o.format === 'json') printJson(ctx, report);
        else if (o.format === 'csv') printCsv(ctx, report);
        else printReport(ctx, report);
      }),
    );
  costs
    .command('team <pipeline> <team>')
    .description("charge a pipeline's runs to a team (the team tag of its experiment)")
    .action((pipeline: string, team: string) =>
      withGyre(
        ctx,
        async (gyre) => {
          const experiment = await gyre.tracking.experiments.getByName(`pipelines/${pipeline}`);
          await gyre.tracking.experiments.setTag(experiment.experimentId, 'team', team);
          ctx.stdout.write(`runs of pipeline ${pipeline} are charged to team ${team}\n`);
        },
        { writes: true },
      ),
    );
  registerBudgetCommands(costs, ctx);
}
