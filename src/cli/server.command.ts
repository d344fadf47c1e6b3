import type { Command } from 'commander';
import { maskUrlPassword } from '../core/index.js';
import type { CliContext } from './context.js';

function serveAction(ctx: CliContext, banner: string, landingZones = false, withInference = false) {
  return async (options: { host?: string; port?: string }) => {
    const config = ctx.loadConfig({
      'server.host': { flag: '--host', value: options.host },
      'server.port': { flag: '--port', value: options.port },
    });
    await ctx.serve(config, {
      landingZones,
      withInference,
      onListening: (url) => {
        ctx.stderr.write(`${banner} at ${url}\n`);
        ctx.stderr.write(`  web UI:    ${url}/\n`);
        ctx.stderr.write(`  database:  ${maskUrlPassword(config.database.url)}\n`);
        ctx.stderr.write(`  artifacts: ${config.artifacts.root}\n`);
        ctx.stderr.write(`  API docs:  ${url}/api/docs   metrics: ${url}/metrics\n`);
      },
    });
  };
}

export function registerServerCommands(program: Command, ctx: CliContext): void {
  program
    .command('up')
    .description(
      'run everything the embedded shape needs on this machine (SQLite, local artifacts, the server, landing-zone watcher)',
    )
    .option('--host <host>', 'address to bind (default from GYRE_HOST, 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default from GYRE_PORT, 7070)')
    .action(serveAction(ctx, 'Gyre is up', true, true));

  program
    .command('server')
    .description('run the Gyre API server only (REST, MLflow-compatible API, metrics)')
    .option('--host <host>', 'address to bind (default from GYRE_HOST, 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default from GYRE_PORT, 7070)')
    .action(serveAction(ctx, 'Gyre server listening'));
}
