import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import {
  RETENTION_KINDS,
  type RetentionKind,
  type RetentionPlan,
  type RetentionPolicy,
} from '../governance/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

interface RetentionFlags {
  kind?: string[];
  predictionLogDays?: string;
  stepLogDays?: string;
  runArtifactDays?: string;
  datasetVersionDays?: string;
  keepLatest?: string;
  json?: boolean;
  list?: boolean;
}

function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`--${flag} must be a whole number of 1 or more`, {
      field: flag,
    });
  return n;
}

function overrides(o: RetentionFlags): Partial<RetentionPolicy> {
  for (const k of o.kind ?? [])
    if (!(RETENTION_KINDS as readonly string[]).includes(k))
      throw new InvalidArgumentError(`--kind ${k}: use ${RETENTION_KINDS.join(', ')}`, {
        field: 'kind',
      });
  return {
    kinds: o.kind as RetentionKind[] | undefined,
    predictionLogDays: whole('prediction-log-days', o.predictionLogDays),
    stepLogDays: whole('step-log-days', o.stepLogDays),
    runArtifactDays: whole('run-artifact-days', o.runArtifactDays),
    datasetVersionDays: whole('dataset-version-days', o.datasetVersionDays),
    datasetKeepLatest: whole('keep-latest', o.keepLatest),
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function printPlan(ctx: CliContext, plan: RetentionPlan, list: boolean): void {
  const p = plan.policy;
  ctx.stdout.write(
    `policy: prediction logs ${p.predictionLogDays}d, step logs ${p.stepLogDays}d, unregistered run artifacts ${p.runArtifactDays}d, dataset versions ${p.datasetVersionDays}d (newest ${p.datasetKeepLatest} kept)\n`,
  );
  printTable(
    ctx,
    ['KIND', 'ITEMS', 'FREES'],
    RETENTION_KINDS.filter((k) => !p.kinds || p.kinds.includes(k)).map((k) => [
      k,
      plan.totals[k].count,
      formatBytes(plan.totals[k].bytes),
    ]),
  );
  ctx.stdout.write(
    `protected (reachable from live deployments): ${plan.protected.models.length} model version(s), ${plan.protected.runs.length} run(s), ${plan.protected.datasetVersions.length} dataset version(s); ${plan.keptProtected.length} old item(s) kept for it\n`,
  );
  if (list && plan.items.length > 0)
    printTable(
      ctx,
      ['KIND', 'TARGET', 'BYTES', 'AGE FROM'],
      plan.items.map((i) => [i.kind, i.target, i.bytes, new Date(i.at).toISOString()]),
    );
}

function withPolicyFlags(command: Command): Command {
  return command
    .option('--kind <kind...>', `only these kinds: ${RETENTION_KINDS.join(', ')}`)
    .option('--prediction-log-days <n>', 'keep prediction-log files this many days')
    .option('--step-log-days <n>', 'keep step logs of runs finished this many days ago')
    .option('--run-artifact-days <n>', 'keep artifacts of unregistered runs this many days')
    .option('--dataset-version-days <n>', 'keep dataset versions this many days')
    .option('--keep-latest <n>', 'always keep the newest n versions of each dataset')
    .option('--list', 'list every item, not only the totals')
    .option('--json', 'print JSON');
}

/** `gyre retention plan|apply`. */
export function registerRetentionCommand(program: Command, ctx: CliContext): void {
  const retention = program
    .command('retention')
    .description(
      'delete old prediction logs, step logs, unregistered run artifacts and dataset versions; never what a live deployment reaches by lineage',
    );
  withPolicyFlags(
    retention
      .command('plan')
      .description('dry run: what would be deleted and how much space it frees'),
  )
    .addHelpText(
      'after',
      `
Defaults come from governance.retention.* (gyre config). Examples:
  gyre retention plan
  gyre retention plan --kind prediction-log --prediction-log-days 30 --list`,
    )
    .action((o: RetentionFlags) =>
      withGyre(ctx, async (gyre) => {
        const plan = await gyre.governance.retention.plan(overrides(o));
        if (o.json) printJson(ctx, plan);
        else printPlan(ctx, plan, o.list === true);
      }),
    );
  withPolicyFlags(
    retention
      .command('apply')
      .description('delete what the plan lists (planned again now) and record it in the audit log'),
  )
    .option('--yes', 'do it (without it, apply only shows the plan)')
    .action((o: RetentionFlags & { yes?: boolean }) =>
      withGyre(
        ctx,
        async (gyre) => {
          if (!o.yes) {
            const plan = await gyre.governance.retention.plan(overrides(o));
            if (o.json) return printJson(ctx, plan);
            printPlan(ctx, plan, o.list === true);
            ctx.stdout.write('nothing deleted: run again with --yes to delete this\n');
            return;
          }
          const tty = ctx.stderr.isTTY === true;
          const result = await gyre.governance.retention.apply(
            overrides(o),
            `local:${userInfo().username}`,
            (done, total) => {
              if (tty) ctx.stderr.write(`\rdeleting ${done}/${total}`);
              if (tty && done === total) ctx.stderr.write('\n');
            },
          );
          if (o.json) return printJson(ctx, result);
          printPlan(ctx, result, o.list === true);
          ctx.stdout.write(
            `deleted ${result.deleted} item(s), freed ${formatBytes(result.bytesFreed)}${result.failures.length ? `; ${result.failures.length} failed: ${result.failures.map((f) => `${f.target} (${f.error})`).join('; ')}` : ''}\n`,
          );
        },
        { writes: o.yes === true },
      ),
    );
}
