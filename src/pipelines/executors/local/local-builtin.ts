import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AttemptResult, StepIo, StepTask } from '../executor.js';
import { CANCEL_REASON, TIMEOUT_REASON } from '../executor.js';
import type { FromWorker, StepWorkerData, ToWorker } from './worker-protocol.js';

/** How long an aborted step may take to stop on its own before its worker is terminated. */
const ABORT_GRACE_MS = 1000;

/**
 * The built file for a module URL: itself when built, else its twin under dist/ (tests and
 * `tsx` run TypeScript from src/, but workers always start from built JavaScript).
 */
export function builtModuleUrl(url: URL): URL {
  const path = fileURLToPath(url);
  if (existsSync(path) && path.endsWith('.js')) return url;
  const at = path.lastIndexOf('/src/');
  const built = `${path.slice(0, at)}/dist/${path.slice(at + 5)}`.replace(/\.ts$/, '.js');
  return pathToFileURL(built);
}

interface PooledWorker {
  worker: Worker;
  busy: boolean;
}

/**
 * Runs built-in steps on a pool of warm worker threads, so a step costs a message rather
 * than a thread start, and heavy steps (training) never block the runner's event loop. An
 * aborted step's worker is terminated and replaced, which stops any computation at once.
 */
export class WorkerPool {
  private readonly idle: PooledWorker[] = [];
  private readonly all = new Set<PooledWorker>();
  private readonly entry: URL;

  private readonly data: StepWorkerData;

  constructor(data: StepWorkerData) {
    this.entry = builtModuleUrl(new URL('./step-worker.js', import.meta.url));
    this.data = { ...data, hostModule: builtModuleUrl(new URL(data.hostModule)).href };
  }

  private take(): PooledWorker {
    const found = this.idle.pop();
    if (found) return found;
    const pooled: PooledWorker = {
      worker: new Worker(this.entry, { workerData: this.data }),
      busy: false,
    };
    this.all.add(pooled);
    return pooled;
  }

  private retire(pooled: PooledWorker): void {
    this.all.delete(pooled);
    void pooled.worker.terminate();
  }

  /** Starts `count` workers ahead of time, so the first steps do not wait for them. */
  warm(count: number): void {
    while (this.all.size < count) {
      const pooled = this.take();
      pooled.worker.unref();
      this.idle.push(pooled);
    }
  }

  run(task: StepTask, io: StepIo, workDir: string): Promise<AttemptResult> {
    const started = Date.now();
    const pooled = this.take();
    const { worker } = pooled;
    pooled.busy = true;
    worker.ref();
    return new Promise<AttemptResult>((resolve) => {
      let killTimer: NodeJS.Timeout | undefined;
      const finish = (
        result: Omit<AttemptResult, 'usage'> & { cpuMs?: number; peak?: number },
        reusable: boolean,
      ) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        io.signal.removeEventListener('abort', onAbort);
        clearTimeout(killTimer);
        pooled.busy = false;
        if (reusable) {
          worker.unref();
          this.idle.push(pooled);
        } else {
          this.retire(pooled);
        }
        const { cpuMs, peak, ...rest } = result;
        resolve({
          ...rest,
          usage: {
            wallMs: Date.now() - started,
            ...(cpuMs !== undefined ? { cpuMs } : {}),
            ...(peak ? { peakRssBytes: peak } : {}),
          },
        });
      };
      const aborted = (): Omit<AttemptResult, 'usage'> => {
        const timedOut = io.signal.reason === TIMEOUT_REASON;
        return {
          status: timedOut ? 'timed_out' : 'cancelled',
          error: timedOut ? 'timed out' : CANCEL_REASON,
          outputs: {},
        };
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === 'log') {
          io.log(message.text);
        } else if (io.signal.aborted) {
          finish(aborted(), true);
        } else if (message.type === 'done') {
          finish(
            {
              status: 'succeeded',
              outputs: message.outputs,
              cpuMs: message.cpuMs,
              peak: message.peakHeapBytes,
            },
            true,
          );
        } else {
          finish(
            {
              status: 'failed',
              error: message.message,
              outputs: {},
              cpuMs: message.cpuMs,
              peak: message.peakHeapBytes,
            },
            true,
          );
        }
      };
      const onError = (error: Error) =>
        finish(
          { status: 'failed', error: `step worker crashed: ${error.message}`, outputs: {} },
          false,
        );
      const onExit = () =>
        finish(
          io.signal.aborted
            ? aborted()
            : { status: 'failed', error: 'step worker exited', outputs: {} },
          false,
        );
      const onAbort = () => {
        worker.postMessage({ type: 'abort', reason: String(io.signal.reason) } satisfies ToWorker);
        killTimer = setTimeout(() => finish(aborted(), false), ABORT_GRACE_MS);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      io.signal.addEventListener('abort', onAbort, { once: true });
      const message: ToWorker = {
        type: 'run',
        uses: task.uses!,
        inputs: task.inputs,
        runId: task.runId,
        step: task.step,
        attempt: task.attempt,
        workDir,
        experimentId: task.tracking.experimentId,
        pipelineRunId: task.tracking.pipelineRunId,
        stepRunId: task.tracking.stepRunId,
      };
      worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((p) => p.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}
