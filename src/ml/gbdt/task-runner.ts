import type { Command } from './training-layout.js';
import type { TrainingKernels } from './training-kernels.js';

/** Runs a command's numbered tasks on however many threads it has; returns when all are done. */
export interface TaskRunner {
  readonly numThreads: number;
  run(command: Command, numTasks: number): void;
  /** Ends the run's session (worker threads stay pooled for the next run). */
  close(): void;
}

/** Runs every task in the calling thread. */
export class SequentialRunner implements TaskRunner {
  readonly numThreads = 1;

  constructor(private readonly kernels: TrainingKernels) {}

  run(command: Command, numTasks: number): void {
    for (let t = 0; t < numTasks; t++) this.kernels.run(command, t);
  }

  close(): void {}
}
