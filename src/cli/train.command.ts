import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import { trainingPipeline } from '../pipelines/index.js';
import { withGyre, type CliContext } from './context.js';
import { followRun } from './run.command.js';

interface TrainOptions {
  target: string;
  model: string;
  tune?: string;
  register?: string;
  alias?: string[];
  cache: boolean;
  logs?: boolean;
  json?: boolean;
}

/** `gyre train <dataset>[@version] --target <column>`: the built-in training pipeline, here and now. */
export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command('train <dataset>')
    .description(
      'train a model on a dataset version: validate, split, train, evaluate, register (a pipeline run)',
    )
    .requiredOption('--target <column>', 'the column to predict')
    .option('--model <kind>', 'gbdt, linear or logistic', 'gbdt')
    .option('--tune <trials>', 'search GBDT hyperparameters over this many trials')
    .option('--register <name>', 'register the model under this name')
    .option('--alias <alias...>', 'aliases for the registered version (with --register)')
    .option('--no-cache', 'run every step, ignoring the step cache')
    .option('--logs', "print steps' output as it comes")
    .option('--json', 'print the finished run as JSON')
    .action((dataset: string, options: TrainOptions) =>
      withGyre(
        ctx,
        async (gyre) => {
          if (!['gbdt', 'linear', 'logistic'].includes(options.model))
            throw new InvalidArgumentError(
              `--model ${options.model}: use gbdt, linear or logistic`,
              { field: 'model' },
            );
          const tune = options.tune === undefined ? undefined : Number(options.tune);
          if (tune !== undefined && !(Number.isInteger(tune) && tune > 0))
            throw new InvalidArgumentError(
              `--tune ${options.tune}: give a positive number of trials`,
              { field: 'tune' },
            );
          if (tune !== undefined && options.model !== 'gbdt')
            throw new InvalidArgumentError(
              '--tune searches GBDT parameters; drop --model or use gbdt',
              { field: 'tune' },
            );
          // Resolve `name` to its latest version now, so the run records exactly what it trained on.
          const version = await gyre.data.datasets.getVersion(dataset);
          const spec = trainingPipeline({
            tune,
            register: options.register,
            aliases: options.alias,
          });
          const { version: pipeline } = await gyre.pipelines.register({
            spec,
            source: 'gyre train',
          });
          const run = await followRun(
            ctx,
            gyre,
            (observer) =>
              gyre.pipelines.startRun(
                {
                  pipeline: pipeline.name,
                  version: pipeline.version,
                  params: {
                    dataset: `${version.datasetName}@${version.version}`,
                    target: options.target,
                    model: options.model,
                  },
                  noCache: !options.cache,
                },
                observer,
              ),
            options,
          );
          if (options.json) return;
          const steps = Object.fromEntries(
            (await gyre.pipelines.getRun(run.id)).steps.map((s) => [s.step, s]),
          );
          const metrics = steps.evaluate?.outputs?.metrics?.value as
            Record<string, unknown> | undefined;
          for (const [key, value] of Object.entries(metrics ?? {}))
            ctx.stdout.write(`${key.padEnd(10)} ${value}\n`);
          ctx.stdout.write(
            `model      ${steps.register?.outputs?.model.value ?? steps.train?.outputs?.model.value}\n`,
          );
        },
        { writes: true },
      ),
    );
}
