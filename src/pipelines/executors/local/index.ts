// The local executor: commands as child processes, built-in steps on worker threads.
export { LocalExecutor, type LocalExecutorOptions } from './local-executor.js';
export type { StepWorkerData } from './worker-protocol.js';
