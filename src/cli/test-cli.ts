// Test-only (excluded from the build): runs the real commander program in process over a
// Gyre a test built, capturing what a user would see on stdout and stderr.
import type { Gyre } from '../gyre.js';
import type { CliContext } from './context.js';
import { runCli } from './run-cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `gyre <args>` against `gyre`; the test owns `gyre` and closes it, the command does not. */
export async function runCliOn(gyre: Gyre, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    version: '0.0.0-test',
    loadConfig: () => gyre.config,
    open: async () => ({ ...gyre, close: async () => {} }),
    serve: async () => {
      throw new Error('runCliOn does not serve');
    },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  };
  const code = await runCli(['node', 'gyre', ...args], ctx);
  return { code, stdout, stderr };
}
