import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { parseDuration, type TokenInfo } from '../auth/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

const when = (ms: number | undefined) =>
  ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

const stateOf = (t: TokenInfo, now: number) =>
  t.revokedAt !== undefined
    ? 'revoked'
    : t.expiresAt !== undefined && t.expiresAt <= now
      ? 'expired'
      : 'active';

/** `gyre tokens create|list|revoke`: API tokens for the REST and MLflow APIs. */
export function registerTokensCommand(program: Command, ctx: CliContext): void {
  const tokens = program
    .command('tokens')
    .description('API tokens: what clients send as "Authorization: Bearer <token>"');

  tokens
    .command('create')
    .description('create a token and print it once (only its hash is kept)')
    .requiredOption('--name <name>', 'a name to recognise it by, e.g. ci')
    .option('--role <role>', 'viewer, editor or admin', 'viewer')
    .option('--expires <duration>', 'lifetime such as 30d, 12h or 45m (default: never)')
    .option('--json', 'print JSON')
    .action((o: { name: string; role: string; expires?: string; json?: boolean }) =>
      withGyre(
        ctx,
        async (gyre) => {
          const created = await gyre.auth.tokens.create({
            name: o.name,
            role: o.role,
            expiresInMs: o.expires === undefined ? undefined : parseDuration(o.expires),
            createdBy: `local:${userInfo().username}`,
          });
          if (o.json) return printJson(ctx, created);
          ctx.stdout.write(`${created.token}\n`);
          ctx.stderr.write(
            `token ${created.info.name} (${created.info.role}) created; it is shown only now — store it safely\n`,
          );
        },
        { writes: true },
      ),
    );

  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const list = await gyre.auth.tokens.list();
        if (o.json) return printJson(ctx, list);
        const now = Date.now();
        printTable(
          ctx,
          ['ID', 'NAME', 'ROLE', 'STATE', 'CREATED', 'EXPIRES', 'LAST USED'],
          list.map((t) => [
            t.id,
            t.name,
            t.role,
            stateOf(t, now),
            when(t.createdAt),
            when(t.expiresAt),
            when(t.lastUsedAt),
          ]),
        );
      }),
    );

  tokens
    .command('revoke <token>')
    .description('revoke a token by id or name; it stops working within seconds')
    .action((token: string) =>
      withGyre(
        ctx,
        async (gyre) => {
          const info = await gyre.auth.tokens.revoke(token);
          ctx.stdout.write(`revoked ${info.name} (${info.id})\n`);
        },
        { writes: true },
      ),
    );
}
