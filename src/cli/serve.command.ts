import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError, maskUrlPassword } from '../core/index.js';
import type { CliContext } from './context.js';

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`${flag} must be a whole number, got ${value}`);
  return Number(value);
}

/** `gyre serve [model-uri]`: the model server over the inference protocols. */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve [model]')
    .description(
      'serve models over the Open Inference Protocol v2, MLflow scoring (/invocations) and KServe v1: every deployment, or one model URI like `mlflow models serve -m` (e.g. models:/housing@champion)',
    )
    .option('--host <host>', 'address to bind (default from GYRE_HOST, 127.0.0.1)')
    .option('-p, --port <port>', 'port to listen on (default from GYRE_SERVING_PORT, 5001)')
    .option(
      '--deployment <name>',
      'serve only this deployment (one per pod on Kubernetes; see gyre deployments render)',
    )
    .option(
      '--workers <n>',
      'worker processes (default from GYRE_SERVING_WORKERS; 0 = one per core)',
    )
    .action(
      async (
        model: string | undefined,
        options: { host?: string; port?: string; workers?: string; deployment?: string },
      ) => {
        const config = ctx.loadConfig({
          'server.host': options.host,
          'serving.port': options.port,
          'serving.workers': wholeNumber(options.workers, '--workers'),
        });
        if (model && options.deployment)
          throw new InvalidArgumentError('give a model URI or --deployment, not both', {
            field: 'deployment',
          });
        const workers =
          config.serving.workers === 0 ? availableParallelism() : config.serving.workers;
        await ctx.serve(config, {
          inference: {
            model,
            deployment: options.deployment,
            host: config.server.host,
            port: config.serving.port,
            workers,
          },
          onListening: (url) => {
            ctx.stderr.write(`Gyre model server at ${url}\n`);
            ctx.stderr.write(
              `  serving:   ${model ?? (options.deployment ? `deployment ${options.deployment}` : 'every deployment')} (${workers} worker${workers === 1 ? '' : 's'})\n`,
            );
            ctx.stderr.write(`  database:  ${maskUrlPassword(config.database.url)}\n`);
            ctx.stderr.write(
              `  protocols: ${url}/v2 (OIP)  ${url}/invocations (MLflow)  ${url}/v1/models (KServe)\n`,
            );
            ctx.stderr.write(`  metrics:   ${url}/metrics\n`);
          },
        });
      },
    );
}
