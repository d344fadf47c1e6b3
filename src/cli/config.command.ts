import type { Command } from 'commander';
import { describeConfig } from '../config/index.js';
import type { CliContext } from './context.js';
import { printJson, printTable } from './output.js';

export function registerConfigCommand(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .description('print the effective configuration (gyre.yaml + environment), secrets masked')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const settings = describeConfig(ctx.loadConfig());
      if (options.json) {
        printJson(ctx, Object.fromEntries(settings.map((s) => [s.key, s.value])));
        return;
      }
      printTable(
        ctx,
        ['KEY', 'VALUE', 'ENV'],
        settings.map((s) => [s.key, s.value, s.env]),
      );
    });
}
