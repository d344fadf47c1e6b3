import { Worker } from 'node:worker_threads';
import { FailedPreconditionError, InternalError, InvalidArgumentError } from '../../core/index.js';
import { builtModuleUrl } from '../gbdt/parallel/built-module-url.js';
import type { TrialData, TrialOutcome, TrialTask } from './run-trial.js';
import { runTrial } from './run-trial.js';

/**
 * Starts a tuning worker on the compiled `dist/` code (from TypeScript sources too, see
 * builtModuleUrl): workers never run through a dev-time loader, and `execArgv: []` keeps
 * them from inheriting one (tsx, vitest) from the parent.
 */
function startWorker(data: TrialData): Worker {
  const entry = builtModuleUrl(import.meta.url, 'ml/tuning/tuning-worker.js');
  return new Worker(entry, { workerData: data, execArgv: [] });
}

/** A worker error as Gyre reports it; a missing build says how to fix it. */
function workerError(error: Error & { code?: string }): Error {
  if (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND') {
    return new FailedPreconditionError(
      `tuning workers run the compiled code in dist/, which is missing (${error.message}); run \`npm run build\` first, or tune with parallelism: 0`,
    );
  }
  return new InternalError('tuning worker crashed', {}, { cause: error });
}

type Reply = { ok: true; outcome: TrialOutcome } | { ok: false; trialId: number; message: string };

/**
 * Runs trials on worker threads (each gets the training data once) or, with zero workers,
 * in the calling thread. Results come back in task order whatever the scheduling, so a
 * tuning run is reproducible for a given seed at any parallelism.
 */
export class TrialPool {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly data: TrialData,
    parallelism: number,
  ) {
    for (let i = 0; i < parallelism; i++) this.workers.push(startWorker(data));
  }

  async run(tasks: readonly TrialTask[]): Promise<TrialOutcome[]> {
    if (this.workers.length === 0) return tasks.map((t) => runTrial(this.data, t));
    const results = new Array<TrialOutcome>(tasks.length);
    let next = 0;
    const drive = (worker: Worker): Promise<void> =>
      new Promise((resolve, reject) => {
        const step = (): void => {
          if (next >= tasks.length) {
            worker.off('message', onMessage);
            worker.off('error', onError);
            resolve();
            return;
          }
          worker.postMessage(tasks[next]);
          current = next++;
        };
        let current = -1;
        const onMessage = (reply: Reply): void => {
          if (!reply.ok) {
            worker.off('message', onMessage);
            worker.off('error', onError);
            reject(new InvalidArgumentError(`trial ${reply.trialId} failed: ${reply.message}`));
            return;
          }
          results[current] = reply.outcome;
          step();
        };
        const onError = (error: Error): void => reject(workerError(error));
        worker.on('message', onMessage);
        worker.on('error', onError);
        step();
      });
    await Promise.all(this.workers.map(drive));
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
