import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import type { Deployment, UnknownCategoryPolicy } from '../serving/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson } from './output.js';

/** Who a CLI change is recorded as: the OS user. */
export function cliUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

function percent(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError(`${flag} must be a percentage from 0 to 100, got ${value}`, {
      field: flag,
    });
  return n;
}

/** One line per route: `primary housing@champion → housing/3 (90%)`. */
export function describeRoutes(deployment: Deployment): string[] {
  return deployment.current.routes.map((r) => {
    const pinned = r.version !== undefined ? `${r.name}/${r.version}` : r.key;
    const share = r.role === 'shadow' ? 'copy of every request' : `${r.weight}%`;
    return `${r.role.padEnd(9)} ${r.model} → ${pinned} (${share})`;
  });
}

interface DeployOptions {
  model: string;
  canary?: string;
  ab?: string;
  keyHeader?: string;
  keyField?: string;
  shadow?: string;
  unknownCategory?: string;
  featureService?: string;
  reason?: string;
  json?: boolean;
}

/** `gyre deploy <name> --model housing@champion [--canary 10 | --ab 50 --key-header x-user-id | --shadow housing/4]`. */
export function registerDeployCommand(program: Command, ctx: CliContext): void {
  program
    .command('deploy <name>')
    .description(
      'deploy a model, or change a deployment: a canary, an A/B split or a shadow (running model servers swap without dropping requests)',
    )
    .requiredOption(
      '--model <model>',
      'the model that answers: housing@champion, housing/4 or a models:/ URI',
    )
    .option(
      '--canary <percent>',
      'send this percent of requests to --model; the current model keeps the rest',
    )
    .option('--ab <percent>', 'send this percent of routing keys to --model, sticky per key')
    .option('--key-header <header>', 'A/B routing key header, e.g. x-user-id')
    .option('--key-field <field>', 'A/B routing key request field (MLflow params / OIP parameters)')
    .option(
      '--shadow <model>',
      'a model that gets a copy of every request; its answers are only logged',
    )
    .option(
      '--unknown-category <policy>',
      'a category the model never saw: ignore (default) or error',
    )
    .option(
      '--feature-service <name>',
      'enrich requests from this feature service: clients may send only entity keys ("" stops)',
    )
    .option('--reason <text>', 'why; kept with the revision')
    .option('--json', 'print the deployment as JSON')
    .action((name: string, options: DeployOptions) =>
      withGyre(
        ctx,
        async ({ serving }) => {
          if (
            options.ab !== undefined &&
            options.keyHeader === undefined &&
            options.keyField === undefined
          )
            throw new InvalidArgumentError('--ab needs --key-header or --key-field', {
              field: 'ab',
            });
          const deployment = await serving.deployments.deploy({
            name,
            model: options.model,
            canary: percent(options.canary, '--canary'),
            ab: percent(options.ab, '--ab'),
            keyHeader: options.keyHeader,
            keyField: options.keyField,
            shadow: options.shadow,
            unknownCategory: options.unknownCategory as UnknownCategoryPolicy | undefined,
            featureService: options.featureService,
            createdBy: cliUser(),
            reason: options.reason,
          });
          if (options.json) return printJson(ctx, deployment);
          ctx.stdout.write(
            `${name}: revision ${deployment.current.revision} (${deployment.current.spec.mode})\n`,
          );
          for (const line of describeRoutes(deployment)) ctx.stdout.write(`  ${line}\n`);
        },
        { writes: true },
      ),
    );
}
