import { userInfo } from 'node:os';
import type { Command } from 'commander';
import {
  parseDuration,
  RESOURCE_TYPES,
  type ResourceRef,
  type ResourceType,
} from '../auth/index.js';
import { InvalidArgumentError } from '../core/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function resourceOf(o: { experiment?: string; model?: string }): ResourceRef {
  if (o.experiment !== undefined && o.model === undefined)
    return { type: 'experiment', id: o.experiment };
  if (o.model !== undefined && o.experiment === undefined)
    return { type: 'registered_model', id: o.model };
  throw new InvalidArgumentError('name exactly one resource: --experiment <id> or --model <name>');
}

const resourceType = (t: ResourceType) => (t === 'experiment' ? 'experiment' : 'model');

/** `gyre permissions grant|revoke|list` and `gyre audit list`. */
export function registerAccessCommands(program: Command, ctx: CliContext): void {
  const permissions = program
    .command('permissions')
    .description(
      `per-resource permissions (READ, EDIT, MANAGE) on one ${RESOURCE_TYPES.join(' or ')}`,
    );

  permissions
    .command('grant <principal> <permission>')
    .description('raise what a principal (token:<name> or oidc:<subject>) may do on one resource')
    .option('--experiment <id>', 'an experiment id')
    .option('--model <name>', 'a registered model name')
    .action((principal: string, permission: string, o: { experiment?: string; model?: string }) =>
      withGyre(
        ctx,
        async (gyre) => {
          const grant = await gyre.auth.access.grant({
            principal,
            permission,
            resource: resourceOf(o),
            grantedBy: `local:${userInfo().username}`,
          });
          ctx.stdout.write(
            `${grant.principal} has ${grant.permission} on ${resourceType(grant.resource.type)} ${grant.resource.id}\n`,
          );
        },
        { writes: true },
      ),
    );

  permissions
    .command('revoke <principal>')
    .description("remove a principal's grant on one resource")
    .option('--experiment <id>', 'an experiment id')
    .option('--model <name>', 'a registered model name')
    .action((principal: string, o: { experiment?: string; model?: string }) =>
      withGyre(ctx, (gyre) => gyre.auth.access.revoke(principal, resourceOf(o)), { writes: true }),
    );

  permissions
    .command('list')
    .description('list grants')
    .option('--principal <principal>', 'only this principal')
    .option('--json', 'print JSON')
    .action((o: { principal?: string; json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const grants = await gyre.auth.access.list({ principal: o.principal });
        if (o.json) return printJson(ctx, grants);
        printTable(
          ctx,
          ['PRINCIPAL', 'RESOURCE', 'PERMISSION', 'GRANTED BY', 'AT'],
          grants.map((g) => [
            g.principal,
            `${resourceType(g.resource.type)} ${g.resource.id}`,
            g.permission,
            g.grantedBy,
            when(g.grantedAt),
          ]),
        );
      }),
    );

  program
    .command('audit')
    .description('the audit log of every mutation')
    .command('list')
    .description('audit entries, oldest first')
    .option('--since <duration>', 'only the last 30m, 12h, 7d, ...')
    .option('--principal <principal>', 'only this principal, e.g. token:ci or local:alice')
    .option('--limit <n>', 'at most this many of the newest', (v) => Number(v), 100)
    .option('--json', 'print JSON (for export)')
    .action((o: { since?: string; principal?: string; limit: number; json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const entries = await gyre.auth.audit.list({
          since: o.since === undefined ? undefined : Date.now() - parseDuration(o.since),
          principal: o.principal,
          limit: o.limit,
        });
        if (o.json) return printJson(ctx, entries);
        printTable(
          ctx,
          ['TIME', 'PRINCIPAL', 'ACTION', 'TARGET', 'OUTCOME', 'REQUEST'],
          entries.map((e) => [when(e.at), e.principal, e.action, e.target, e.outcome, e.requestId]),
        );
      }),
    );
}
