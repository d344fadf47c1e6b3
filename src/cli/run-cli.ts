import { Command, CommanderError } from 'commander';
import { isGyreError } from '../core/index.js';
import { registerAccessCommands } from './access.command.js';
import { registerConfigCommand } from './config.command.js';
import type { CliContext } from './context.js';
import { registerExperimentsCommand } from './experiments.command.js';
import { registerFeaturesCommand } from './features.command.js';
import { registerModelsCommand } from './models.command.js';
import { registerMonitoringCommands } from './monitors.command.js';
import { registerRunsCommand } from './runs.command.js';
import { registerDataCommands } from './data.command.js';
import { registerServerCommands } from './server.command.js';
import { registerServeCommand } from './serve.command.js';
import { registerDeployCommand } from './deploy.command.js';
import { registerDemoCommand } from './demo.command.js';
import { registerDeploymentsCommand } from './deployments.command.js';
import { registerPredictCommand } from './predict.command.js';
import { registerTokensCommand } from './tokens.command.js';
import { registerVersionCommand } from './version.command.js';
import { registerApproveCommand } from './approve.command.js';
import { registerPipelinesCommand } from './pipelines.command.js';
import { registerRunCommand } from './run.command.js';
import { registerTrainCommand } from './train.command.js';
import { registerRetentionCommand } from './retention.command.js';
import { registerCostsCommand } from './costs.command.js';

/** Every CLI failure, usage errors included, is one line in this form. */
const failureLine = (message: string) => `gyre: ${message}\n`;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('gyre')
    .description(
      'Gyre: the MLOps loop — data, training, registry, serving and monitoring in one product.',
    )
    .version(ctx.version, '-v, --version')
    .option('--home <dir>', 'Gyre home to use (default: GYRE_HOME, else ./.gyre)')
    .option('--debug', 'print stack traces on failure')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Commander's own errors ("error: unknown command 'train'") take Gyre's one format;
      // its suggestion of the nearest command ("Did you mean …?") stays in the line.
      outputError: (s, write) => write(failureLine(s.replace(/^error: /, '').trimEnd())),
    })
    .exitOverride();
  // The command being run (`data add`), for the audit log of the writes it makes.
  let commandPath = '';
  program.hook('preAction', (_program, action) => {
    const names: string[] = [];
    for (let c: Command | null = action; c && c !== program; c = c.parent) names.unshift(c.name());
    commandPath = names.join(' ');
  });
  // Global options are read when a command runs, after parsing: --home overrides config.
  const scoped: CliContext = {
    ...ctx,
    commandPath: () => commandPath,
    loadConfig: (overrides) => {
      const { home } = program.opts<{ home?: string }>();
      return ctx.loadConfig(home ? { home, ...overrides } : overrides);
    },
  };
  registerDemoCommand(program, scoped);
  registerServerCommands(program, scoped);
  registerServeCommand(program, scoped);
  registerDeployCommand(program, scoped);
  registerDeploymentsCommand(program, scoped);
  registerMonitoringCommands(program, scoped);
  registerPredictCommand(program, scoped);
  registerConfigCommand(program, scoped);
  registerDataCommands(program, scoped);
  registerFeaturesCommand(program, scoped);
  registerVersionCommand(program, scoped);
  registerModelsCommand(program, scoped);
  registerExperimentsCommand(program, scoped);
  registerRunsCommand(program, scoped);
  registerRunCommand(program, scoped);
  registerTrainCommand(program, scoped);
  registerPipelinesCommand(program, scoped);
  registerApproveCommand(program, scoped);
  registerTokensCommand(program, scoped);
  registerAccessCommands(program, scoped);
  registerRetentionCommand(program, scoped);
  registerCostsCommand(program, scoped);
  return program;
}

/**
 * Runs the CLI and returns the exit code. A failure prints one line naming the problem;
 * the stack trace only with --debug.
 */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const debug = argv.includes('--debug');
    const message = isGyreError(error)
      ? error.message
      : ((error as Error)?.message ?? String(error));
    ctx.stderr.write(failureLine(message));
    if (debug && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
