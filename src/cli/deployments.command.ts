import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import type { Deployment } from '../serving/index.js';
import { withGyre, type CliContext } from './context.js';
import { cliUser, describeRoutes } from './deploy.command.js';
import { registerDeploymentsRender } from './deployments-render.command.js';
import { printJson, printTable } from './output.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function printChanged(ctx: CliContext, deployment: Deployment, json?: boolean): void {
  if (json) return printJson(ctx, deployment);
  const { current } = deployment;
  ctx.stdout.write(
    `${deployment.name}: revision ${current.revision} (${current.action}, ${current.spec.mode})\n`,
  );
  for (const line of describeRoutes(deployment)) ctx.stdout.write(`  ${line}\n`);
}

/** `gyre deployments list|show|history|render|rollout|promote|rollback|delete`. */
export function registerDeploymentsCommand(program: Command, ctx: CliContext): void {
  const deployments = program
    .command('deployments')
    .description('model deployments and their revisions');
  registerDeploymentsRender(deployments, ctx);
  deployments
    .command('list')
    .description('list deployments with what they serve')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withGyre(ctx, async ({ serving }) => {
        const all = await serving.deployments.list();
        if (options.json) return printJson(ctx, all);
        printTable(
          ctx,
          ['NAME', 'REVISION', 'MODE', 'ROUTES', 'UPDATED'],
          all.map((d) => [
            d.name,
            d.current.revision,
            d.current.spec.mode,
            d.current.routes
              .map(
                (r) =>
                  `${r.role}:${r.version !== undefined ? `${r.name}/${r.version}` : r.key}@${r.weight}`,
              )
              .join(' '),
            iso(d.updatedAt),
          ]),
        );
      }),
    );
  deployments
    .command('show <name>')
    .description('show a deployment: its routes, pinned versions and the last change')
    .option('--json', 'print JSON')
    .action((name: string, options: { json?: boolean }) =>
      withGyre(ctx, async ({ serving }) => {
        const d = await serving.deployments.get(name);
        if (options.json) return printJson(ctx, d);
        const { current } = d;
        ctx.stdout.write(
          `name:       ${d.name}\nrevision:   ${current.revision}\nmode:       ${current.spec.mode}\n`,
        );
        if (current.spec.routingKey)
          ctx.stdout.write(
            `routing by: ${current.spec.routingKey.header ? `header ${current.spec.routingKey.header}` : `field ${current.spec.routingKey.field}`}\n`,
          );
        ctx.stdout.write(`unknown categories: ${current.spec.unknownCategory}\n`);
        if (current.spec.featureService)
          ctx.stdout.write(`feature service: ${current.spec.featureService} (requests enriched)\n`);
        ctx.stdout.write(
          `changed:    ${iso(current.createdAt)} by ${current.createdBy} (${current.action})${current.reason ? `: ${current.reason}` : ''}\nroutes:\n`,
        );
        for (const line of describeRoutes(d)) ctx.stdout.write(`  ${line}\n`);
      }),
    );
  deployments
    .command('history <name>')
    .description('every revision of a deployment, newest first, with who and why')
    .option('--json', 'print JSON')
    .action((name: string, options: { json?: boolean }) =>
      withGyre(ctx, async ({ serving }) => {
        const revisions = await serving.deployments.history(name);
        if (options.json) return printJson(ctx, revisions);
        printTable(
          ctx,
          ['REVISION', 'WHEN', 'WHO', 'ACTION', 'MODE', 'VERSIONS', 'WHY'],
          revisions.map((r) => [
            r.revision,
            iso(r.createdAt),
            r.createdBy,
            r.action,
            r.spec.mode,
            r.routes.map((route) => `${route.version ?? route.key}@${route.weight}`).join(' '),
            r.reason,
          ]),
        );
      }),
    );
  deployments
    .command('rollout <name>')
    .description(
      'drive the canary through its rollout plan with canary analysis: start, pause, resume, or advance now',
    )
    .option('--start', 'start (or restart) the rollout')
    .option(
      '--step <weight:pauseMs>',
      'a plan step for --start (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--pause', 'pause where it is')
    .option('--resume', 'resume a paused rollout')
    .option('--advance', "end the current step's pause now: analyze and move on")
    .option('--json', 'print JSON')
    .action(
      (
        name: string,
        options: {
          start?: boolean;
          step?: string[];
          pause?: boolean;
          resume?: boolean;
          advance?: boolean;
          json?: boolean;
        },
      ) =>
        withGyre(
          ctx,
          async ({ monitoring }) => {
            const driver = monitoring.rollouts;
            if (options.step && !options.start)
              throw new InvalidArgumentError('--step goes with --start', { field: 'step' });
            const steps = options.step?.map((s) => {
              const [weight, pauseMs] = s.split(':').map(Number);
              if (!Number.isFinite(weight) || !Number.isInteger(pauseMs))
                throw new InvalidArgumentError(
                  `--step takes weight:pauseMs, e.g. 25:60000; got ${s}`,
                  {
                    field: 'step',
                  },
                );
              return { weight, pauseMs };
            });
            if (options.start)
              await driver.start(name, {
                plan: steps ? { steps } : undefined,
                createdBy: cliUser(),
              });
            else if (options.pause) await driver.pause(name);
            else if (options.resume) await driver.resume(name);
            else if (options.advance) await driver.advance(name);
            const { rollout, analyses } = await driver.get(name);
            if (options.json) return printJson(ctx, { rollout, analyses });
            ctx.stdout.write(
              `${name}: rollout ${rollout.state}, step ${rollout.step + 1} of ${rollout.plan.steps.length}` +
                `${rollout.outcome ? ` (${rollout.outcome})` : ''}\n`,
            );
            for (const a of analyses)
              ctx.stdout.write(`  step ${a.step + 1} (revision ${a.revision}): ${a.decision}\n`);
          },
          { writes: true },
        ),
    );
  deployments
    .command('promote <name>')
    .description('make the canary, A/B candidate or shadow the only model')
    .option('--reason <text>', 'why; kept with the revision')
    .option('--json', 'print JSON')
    .action((name: string, options: { reason?: string; json?: boolean }) =>
      withGyre(
        ctx,
        async ({ serving }) =>
          printChanged(
            ctx,
            await serving.deployments.promote(name, {
              createdBy: cliUser(),
              reason: options.reason,
            }),
            options.json,
          ),
        { writes: true },
      ),
    );
  deployments
    .command('rollback <name>')
    .description('go back to an earlier revision (the previous one by default), pinned as it was')
    .option('--to <revision>', 'the revision to go back to')
    .option('--reason <text>', 'why; kept with the revision')
    .option('--json', 'print JSON')
    .action((name: string, options: { to?: string; reason?: string; json?: boolean }) =>
      withGyre(
        ctx,
        async ({ serving }) => {
          if (options.to !== undefined && !/^\d+$/.test(options.to))
            throw new InvalidArgumentError(`--to must be a revision number, got ${options.to}`, {
              field: 'to',
            });
          const d = await serving.deployments.rollback(name, {
            toRevision: options.to === undefined ? undefined : Number(options.to),
            createdBy: cliUser(),
            reason: options.reason,
          });
          printChanged(ctx, d, options.json);
        },
        { writes: true },
      ),
    );
  deployments
    .command('delete <name>')
    .description('delete a deployment and its history (model servers stop serving it)')
    .option('--json', 'print JSON')
    .action((name: string, options: { json?: boolean }) =>
      withGyre(
        ctx,
        async ({ serving }) => {
          await serving.deployments.delete(name);
          if (options.json) printJson(ctx, { name, deleted: true });
          else ctx.stdout.write(`deleted deployment ${name}\n`);
        },
        { writes: true },
      ),
    );
}
