import { Worker } from 'node:worker_threads';
import { InternalError, InvalidArgumentError } from '../../core/index.js';
import type { TrialData, TrialOutcome, TrialTask } from './run-trial.js';
import { runTrial } from './run-trial.js';

/**
 * Starts a tuning worker. Built code runs the sibling `.js` file directly; under tsx or
 * vitest this module is TypeScript, and a worker does not inherit the loader, so a tiny
 * bootstrap registers tsx in the worker before importing the `.ts` entry.
 */
function startWorker(data: TrialData): Worker {
  const isTs = import.meta.url.endsWith('.ts');
  const entry = new URL(`./tuning-worker.${isTs ? 'ts' : 'js'}`, import.meta.url).href;
  if (!isTs) return new Worker(new URL(entry), { workerData: data });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
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
        const onError = (error: Error): void =>
          reject(new InternalError('tuning worker crashed', {}, { cause: error }));
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
