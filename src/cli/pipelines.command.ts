import { readFileSync } from 'node:fs';
import { registerPipelinesExport } from './pipelines-export.command.js';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { InvalidArgumentError } from '../core/index.js';
import { readStepLog } from '../pipelines/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';
import { printRunSummary } from './pipeline-progress.js';
import { followRun } from './run.command.js';

const when = (ms?: number) =>
  ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const duration = (a?: number, b?: number) =>
  a !== undefined && b !== undefined ? `${((b - a) / 1000).toFixed(1)}s` : '';

function registerLogsCommand(pipelines: Command, ctx: CliContext): void {
  pipelines
    .command('logs <run> [step]')
    .description("print a run's step logs (every step when none is named)")
    .option('-f, --follow', 'keep printing as the step writes, until it finishes')
    .action((runId: string, step: string | undefined, options: { follow?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const run = await gyre.pipelines.getRun(runId);
        const steps = step
          ? [step]
          : run.steps.filter((s) => s.status !== 'pending').map((s) => s.step);
        if (step && !run.steps.some((s) => s.step === step))
          throw new InvalidArgumentError(
            `run ${runId} has no step ${step} (steps: ${run.steps.map((s) => s.step).join(', ')})`,
            { field: 'step' },
          );
        for (const name of steps) {
          if (!step) ctx.stdout.write(`==> ${name} <==\n`);
          for await (const chunk of readStepLog(gyre.pipelines.store, runId, name, {
            follow: options.follow,
          }))
            ctx.stdout.write(chunk.text);
        }
      }),
    );
}

/** `gyre pipelines list|show|register|runs|logs|cancel|resume`. */
export function registerPipelinesCommand(program: Command, ctx: CliContext): void {
  const pipelines = program.command('pipelines').description('pipelines: definitions, runs, logs');
  registerPipelinesExport(pipelines, ctx);
  pipelines
    .command('list')
    .description('list registered pipelines')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const list = await gyre.pipelines.listPipelines();
        if (options.json) return printJson(ctx, list);
        printTable(
          ctx,
          ['NAME', 'LATEST', 'UPDATED'],
          list.map((p) => [p.name, p.latestVersion, when(p.updatedAt)]),
        );
      }),
    );
  pipelines
    .command('show <name>')
    .description("show a pipeline's definition (the latest version unless --version)")
    .option('--version <n>', 'a version number')
    .option('--json', 'print JSON')
    .action((name: string, options: { version?: string; json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const v = await gyre.pipelines.getVersion(
          name,
          options.version === undefined ? undefined : Number(options.version),
        );
        if (options.json) return printJson(ctx, v);
        ctx.stdout.write(
          `# ${v.name} version ${v.version}, sha256:${v.digest.slice(0, 12)}${v.sourceDir ? `, from ${v.sourceDir}` : ''}\n`,
        );
        ctx.stdout.write(stringify(v.spec));
      }),
    );
  pipelines
    .command('register <file>')
    .description('register a pipeline YAML (its schedules and triggers then run on the server)')
    .action((file: string) =>
      withGyre(
        ctx,
        async (gyre) => {
          const path = resolve(file);
          const { version, created } = await gyre.pipelines.register({
            yaml: readFileSync(path, 'utf8'),
            source: relative(process.cwd(), path) || path,
            sourceDir: dirname(path),
          });
          ctx.stdout.write(
            `${version.name} version ${version.version} ${created ? 'registered' : 'unchanged'}\n`,
          );
        },
        { writes: true },
      ),
    );
  pipelines
    .command('runs [name]')
    .description('list runs, newest first')
    .option('--status <status>', 'only runs in this state')
    .option('--max-results <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON')
    .action(
      (
        name: string | undefined,
        options: { status?: string; maxResults?: string; json?: boolean },
      ) =>
        withGyre(ctx, async (gyre) => {
          const page = await gyre.pipelines.listRuns({
            pipeline: name,
            status: options.status,
            maxResults: options.maxResults === undefined ? undefined : Number(options.maxResults),
          });
          if (options.json) return printJson(ctx, page);
          printTable(
            ctx,
            ['RUN', 'PIPELINE', 'VERSION', 'STATUS', 'TRIGGER', 'STARTED', 'DURATION'],
            page.items.map((r) => [
              r.id,
              r.pipelineName,
              r.pipelineVersion,
              r.status,
              r.trigger.kind,
              when(r.startedAt),
              duration(r.startedAt, r.finishedAt),
            ]),
          );
        }),
    );
  pipelines
    .command('status <run>')
    .description('show a run and its steps')
    .option('--json', 'print JSON')
    .action((runId: string, options: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const run = await gyre.pipelines.getRun(runId);
        if (options.json) printJson(ctx, run);
        else printRunSummary(ctx, run);
      }),
    );
  registerLogsCommand(pipelines, ctx);
  pipelines
    .command('cancel <run>')
    .description('cancel a run: its running steps are killed with their process trees')
    .action((runId: string) =>
      withGyre(
        ctx,
        async (gyre) => {
          const run = await gyre.pipelines.cancel(runId);
          ctx.stdout.write(
            `pipeline run ${runId}: ${run.status === 'running' || run.status === 'queued' ? 'cancelling' : run.status}\n`,
          );
        },
        { writes: true },
      ),
    );
  pipelines
    .command('resume <run>')
    .description(
      'continue an interrupted, failed or cancelled run here: finished steps are kept, the rest run through the cache',
    )
    .option('--logs', "print steps' output as it comes")
    .option('--json', 'print the finished run as JSON')
    .action((runId: string, options: { logs?: boolean; json?: boolean }) =>
      withGyre(
        ctx,
        async (gyre) => {
          await followRun(ctx, gyre, (observer) => gyre.pipelines.resume(runId, observer), options);
        },
        { writes: true },
      ),
    );
}
