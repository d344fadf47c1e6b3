import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Executor, AttemptResult, StepIo, StepTask } from '../executor.js';
import type { StepProcess } from '../../types.js';
import { WorkerPool } from './local-builtin.js';
import { runProcessStep } from './local-process.js';
import { reapProcesses } from './local-reaper.js';
import type { StepWorkerData } from './worker-protocol.js';

export interface LocalExecutorOptions {
  /** Scratch space: one directory per step attempt, removed when it ends. */
  workRoot: string;
  /** How built-in steps' worker threads open their services. */
  stepHost: StepWorkerData;
}

/**
 * Runs steps on this machine: `run` commands as child processes in their own process group,
 * built-in steps on a pool of worker threads.
 */
export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly pool: WorkerPool;

  constructor(private readonly options: LocalExecutorOptions) {
    this.pool = new WorkerPool(options.stepHost);
  }

  /** Starts `count` step workers ahead of the first built-in step. */
  warm(count: number): void {
    this.pool.warm(count);
  }

  async execute(task: StepTask, io: StepIo): Promise<AttemptResult> {
    const workDir = join(this.options.workRoot, task.runId, `${task.step}-${task.attempt}`);
    await mkdir(workDir, { recursive: true });
    try {
      return task.kind === 'run'
        ? await runProcessStep(task, io, workDir)
        : await this.pool.run(task, io, workDir);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  reap(processes: StepProcess[]): Promise<number> {
    return reapProcesses(processes);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
