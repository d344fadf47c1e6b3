import { Worker } from 'node:worker_threads';
import { FailedPreconditionError, InternalError } from '../../../core/index.js';
import type { TaskRunner } from '../task-runner.js';
import { MIN_PARALLEL_WORK } from '../task-runner.js';
import type { Command } from '../training-layout.js';
import { COMMAND, CONTROL } from '../training-layout.js';
import type { TrainingKernels } from '../training-kernels.js';
import type { SessionSpec } from '../training-session.js';
import { drainTasks, readFailure, waitForDone } from './task-protocol.js';
import { builtModuleUrl } from './built-module-url.js';

const STARTUP_TIMEOUT_MS = 60_000;
const ERROR_BYTES = 4096;

/**
 * Training worker threads, started once per process and reused by every training run.
 * Workers run the compiled `dist/` code, never TypeScript through a dev-time loader. A
 * tiny inline bootstrap imports the entry and reports through shared memory whether that
 * worked, so a missing build fails at once with a clear message instead of hanging.
 */
export class WorkerPool {
  private static instance: WorkerPool | null = null;

  private constructor(private readonly workers: Worker[]) {}

  /** The process-wide pool with at least `count` workers (it grows, never shrinks). */
  static withWorkers(count: number): WorkerPool {
    const existing = WorkerPool.instance;
    if (existing && existing.workers.length >= count) return existing;
    const have = existing ? existing.workers : [];
    const entry = builtModuleUrl(import.meta.url, 'ml/gbdt/parallel/gbdt-worker.js');
    const added = startWorkers(entry, count - have.length);
    WorkerPool.instance = new WorkerPool([...have, ...added]);
    return WorkerPool.instance;
  }

  /** Starts a training run on `numWorkers` workers plus the calling thread. */
  openSession(spec: SessionSpec, kernels: TrainingKernels, numWorkers: number): TaskRunner {
    const workers = this.workers.slice(0, numWorkers);
    const errors = new SharedArrayBuffer(ERROR_BYTES);
    const control = new Int32Array(spec.buffers.control);
    control.fill(0);
    for (const w of workers) w.postMessage({ type: 'session', spec, errors });
    waitForDone(control, workers.length);
    const session = new ParallelSession(control, new Uint8Array(errors), kernels, workers.length);
    session.throwIfFailed();
    return session;
  }
}

class ParallelSession implements TaskRunner {
  private closed = false;

  constructor(
    private readonly control: Int32Array,
    private readonly errors: Uint8Array,
    private readonly kernels: TrainingKernels,
    private readonly numWorkers: number,
  ) {}

  get numThreads(): number {
    return this.numWorkers + 1;
  }

  run(command: Command, numTasks: number, work: number): void {
    if (work < MIN_PARALLEL_WORK || numTasks === 1) {
      for (let t = 0; t < numTasks; t++) this.kernels.run(command, t);
      return;
    }
    this.post(command, numTasks);
    drainTasks(this.kernels, this.control, command);
    waitForDone(this.control, this.numWorkers);
    this.throwIfFailed();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.post(COMMAND.END_SESSION, 0);
    waitForDone(this.control, this.numWorkers);
  }

  throwIfFailed(): void {
    if (Atomics.load(this.control, CONTROL.FAILED) !== 0) {
      const message = readFailure(this.errors);
      this.close();
      throw new InternalError(`a GBDT training thread failed: ${message}`);
    }
  }

  private post(command: Command, numTasks: number): void {
    const c = this.control;
    c[CONTROL.COMMAND] = command;
    c[CONTROL.NUM_TASKS] = numTasks;
    Atomics.store(c, CONTROL.NEXT_TASK, 0);
    Atomics.store(c, CONTROL.DONE, 0);
    Atomics.add(c, CONTROL.EPOCH, 1);
    Atomics.notify(c, CONTROL.EPOCH);
  }
}

/** The inline bootstrap: import the built entry, report success or the error. */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const status = new Int32Array(workerData.status);
import(workerData.entry).then(
  () => { Atomics.store(status, 0, 1); Atomics.notify(status, 0); },
  (error) => {
    const text = new TextEncoder().encode(String((error && error.message) || error));
    new Uint8Array(workerData.message).set(text.subarray(0, 4000));
    Atomics.store(status, 0, 2);
    Atomics.notify(status, 0);
  });
`;

/** Starts `count` workers on the built module `entry`; throws a clear error if it cannot load. */
export function startWorkers(entry: URL, count: number): Worker[] {
  const started: { worker: Worker; status: Int32Array; message: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    const status = new SharedArrayBuffer(4);
    const message = new SharedArrayBuffer(4096);
    // execArgv: [] so a worker never inherits a dev-time loader (tsx, vitest) from its parent.
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: [],
      workerData: { entry: entry.href, status, message },
    });
    worker.unref();
    started.push({ worker, status: new Int32Array(status), message: new Uint8Array(message) });
  }
  for (const s of started) {
    Atomics.wait(s.status, 0, 0, STARTUP_TIMEOUT_MS);
    const state = Atomics.load(s.status, 0);
    if (state === 1) continue;
    for (const t of started) void t.worker.terminate();
    const reason = state === 2 ? readFailure(s.message) : 'it did not start in time';
    throw new FailedPreconditionError(
      `GBDT worker threads run the compiled code at ${entry.pathname}, which could not be loaded (${reason}); run \`npm run build\` first, or train with numThreads: 1`,
    );
  }
  return started.map((s) => s.worker);
}
