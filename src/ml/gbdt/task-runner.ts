import type { Command } from './training-layout.js';
import type { TrainingKernels } from './training-kernels.js';

/**
 * Below this much work (about rows × features touched) a command runs in the calling
 * thread alone: waking a worker costs tens of microseconds, more than the work saves.
 * Which thread runs a task never changes its result.
 */
export const MIN_PARALLEL_WORK = 1 << 16;

/** Runs a command's numbered tasks on however many threads it has; returns when all are done. */
export interface TaskRunner {
  readonly numThreads: number;
  /** `work` estimates the command's size (rows × features), to skip threads for small ones. */
  run(command: Command, numTasks: number, work: number): void;
  /** Ends the run's session (worker threads stay pooled for the next run). */
  close(): void;
}

/** Runs every task in the calling thread. */
export class SequentialRunner implements TaskRunner {
  readonly numThreads = 1;

  constructor(private readonly kernels: TrainingKernels) {}

  run(command: Command, numTasks: number, _work: number): void {
    for (let t = 0; t < numTasks; t++) this.kernels.run(command, t);
  }

  close(): void {}
}
