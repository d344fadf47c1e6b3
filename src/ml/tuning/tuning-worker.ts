// Worker-thread entry for tuning: receives the data once, then trains trials on request.
import { parentPort, workerData } from 'node:worker_threads';
import type { TrialData, TrialTask } from './run-trial.js';
import { runTrial } from './run-trial.js';

const data = workerData as TrialData;
parentPort!.on('message', (task: TrialTask) => {
  try {
    parentPort!.postMessage({ ok: true, outcome: runTrial(data, task) });
  } catch (error) {
    parentPort!.postMessage({
      ok: false,
      trialId: task.trialId,
      message: (error as Error).message,
    });
  }
});
