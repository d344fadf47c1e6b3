import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { withGyre, type CliContext } from './context.js';

/** `gyre approve <run>`: lets a gate waiting for a person go on. */
export function registerApproveCommand(program: Command, ctx: CliContext): void {
  program
    .command('approve <run>')
    .description('approve the gate(s) of a pipeline run waiting for manual approval')
    .option('--step <step>', 'only this step')
    .option('--by <name>', 'who approves (default: your user name)')
    .action((runId: string, options: { step?: string; by?: string }) =>
      withGyre(
        ctx,
        async (gyre) => {
          const run = await gyre.pipelines.approve(
            runId,
            options.by ?? userInfo().username,
            options.step,
          );
          const approved = run.steps
            .filter((s) => s.approvedBy && s.status === 'waiting_approval')
            .map((s) => s.step);
          ctx.stdout.write(
            `approved ${approved.join(', ') || options.step || 'the waiting step'} of pipeline run ${runId}\n`,
          );
        },
        { writes: true },
      ),
    );
}
