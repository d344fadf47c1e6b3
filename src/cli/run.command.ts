import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { FailedPreconditionError } from '../core/index.js';
import type { Gyre } from '../gyre.js';
import type { PipelineRun } from '../pipelines/index.js';
import { withGyre, type CliContext } from './context.js';
import { keyValue } from './data.command.js';
import { printJson } from './output.js';
import { pipelineProgress, printRunSummary } from './pipeline-progress.js';

export interface RunDisplayOptions {
  json?: boolean;
  logs?: boolean;
}

/**
 * Waits for a run executing in this process while showing its progress; Ctrl-C cancels it
 * (killing its steps' process trees). Prints the summary and fails when the run did not succeed.
 */
export async function followRun(
  ctx: CliContext,
  gyre: Gyre,
  start: (
    observer: ReturnType<typeof pipelineProgress>,
  ) => Promise<{ run: PipelineRun; done: Promise<PipelineRun> }>,
  options: RunDisplayOptions,
): Promise<PipelineRun> {
  const progress = pipelineProgress(ctx, { logs: options.logs });
  const { run, done } = await start(progress);
  ctx.stderr.write(`pipeline run ${run.id} started\n`);
  const interrupt = () => void gyre.pipelines.cancel(run.id);
  process.once('SIGINT', interrupt);
  let final: PipelineRun;
  try {
    final = await done;
  } finally {
    process.off('SIGINT', interrupt);
    progress.stop();
  }
  const detail = await gyre.pipelines.getRun(final.id);
  if (options.json) printJson(ctx, detail);
  else printRunSummary(ctx, detail);
  if (final.status !== 'succeeded')
    throw new FailedPreconditionError(
      `pipeline run ${final.id} ${final.status}${final.error ? `: ${final.error}` : ''}`,
      { runId: final.id },
    );
  return final;
}

/** `gyre run pipeline.yaml -p key=value`: registers the file (or takes a registered name) and runs it here. */
export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('run <pipeline>')
    .description(
      'run a pipeline: a YAML file (registered by content first) or a registered pipeline name',
    )
    .option('-p, --param <key=value>', 'a pipeline param (repeatable)', keyValue('--param'), {})
    .option('--no-cache', 'run every step, ignoring the step cache')
    .option('--logs', "print steps' output as it comes, prefixed with the step")
    .option('--json', 'print the finished run as JSON')
    .action(
      (
        pipeline: string,
        options: { param: Record<string, string>; cache: boolean; logs?: boolean; json?: boolean },
      ) =>
        withGyre(
          ctx,
          async (gyre) => {
            let name = pipeline;
            if (existsSync(pipeline) || /\.ya?ml$/.test(pipeline)) {
              const file = resolve(pipeline);
              if (!existsSync(file))
                throw new FailedPreconditionError(`pipeline file ${pipeline} does not exist`);
              const { version, created } = await gyre.pipelines.register({
                yaml: readFileSync(file, 'utf8'),
                source: relative(process.cwd(), file) || file,
                sourceDir: dirname(file),
              });
              name = version.name;
              ctx.stderr.write(
                `pipeline ${version.name} v${version.version}${created ? ' registered' : ''}\n`,
              );
            }
            await followRun(
              ctx,
              gyre,
              (observer) =>
                gyre.pipelines.startRun(
                  {
                    pipeline: name,
                    params: options.param,
                    noCache: !options.cache,
                    baseDir: process.cwd(),
                  },
                  observer,
                ),
              options,
            );
          },
          { writes: true },
        ),
    );
}
