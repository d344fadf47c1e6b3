import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { printJson } from './output.js';

export function registerVersionCommand(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .description('print the Gyre and Node.js versions')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const info = {
        gyre: ctx.version,
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
      };
      if (options.json) printJson(ctx, info);
      else ctx.stdout.write(`gyre ${info.gyre} (node ${info.node}, ${info.platform})\n`);
    });
}
