import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import { batchPredict } from '../serving/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson } from './output.js';

interface PredictOptions {
  input: string;
  output: string;
  idColumn?: string;
  chunkRows?: string;
  json?: boolean;
}

/** `gyre predict <model> --input … --output …`: batch prediction over a file or dataset version. */
export function registerPredictCommand(program: Command, ctx: CliContext): void {
  program
    .command('predict <model>')
    .description(
      'score a file (CSV, Parquet, NDJSON) or a dataset version with a registered model, in chunks, writing predictions beside an id column',
    )
    .requiredOption('--input <file-or-dataset>', 'a file, or a dataset version such as housing@3')
    .requiredOption('--output <file>', 'where predictions go: .parquet, .csv, .ndjson or .jsonl')
    .option(
      '--id-column <column>',
      'input column copied beside each prediction (default: id, else the row number)',
    )
    .option('--chunk-rows <n>', 'rows scored at a time (default 65536)')
    .option('--json', 'print the result as JSON')
    .action((model: string, options: PredictOptions) =>
      withGyre(ctx, async ({ serving, data }) => {
        if (options.chunkRows !== undefined && !/^[1-9]\d*$/.test(options.chunkRows))
          throw new InvalidArgumentError(
            `--chunk-rows must be a positive whole number, got ${options.chunkRows}`,
          );
        let bar: cliProgress.SingleBar | undefined;
        const result = await batchPredict(
          { loader: serving.loader, datasets: data.datasets },
          {
            model,
            input: options.input,
            output: options.output,
            idColumn: options.idColumn,
            chunkRows: options.chunkRows === undefined ? undefined : Number(options.chunkRows),
            onProgress: (done, total) => {
              if (!ctx.stderr.isTTY) return;
              if (!bar) {
                bar = new cliProgress.SingleBar(
                  {
                    format: 'scoring  [{bar}] {percentage}% | {value}/{total} rows',
                    stream: process.stderr,
                    clearOnComplete: true,
                  },
                  cliProgress.Presets.shades_classic,
                );
                bar.start(total, 0);
              }
              bar.update(done);
            },
          },
        ).finally(() => bar?.stop());
        if (options.json) return printJson(ctx, result);
        ctx.stdout.write(
          `${result.rows} predictions by ${result.model} → ${result.output} (${result.columns.join(', ')})\n`,
        );
      }),
    );
}
