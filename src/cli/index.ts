export { runCli, buildProgram } from './run-cli.js';
export type { CliContext } from './context.js';
