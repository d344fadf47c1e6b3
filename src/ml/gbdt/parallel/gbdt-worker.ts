// A training worker thread: receives a run's shared buffers once, then runs the commands the
// main thread posts through them until the run ends. Started from the built file in dist/
// (see worker-pool.ts).
import { parentPort } from 'node:worker_threads';
import type { Command } from '../training-layout.js';
import { COMMAND, CONTROL } from '../training-layout.js';
import { TrainingKernels } from '../training-kernels.js';
import type { SessionSpec } from '../training-session.js';
import { viewSession } from '../training-session.js';
import { drainTasks, reportDone, reportFailure, waitWhileEqual } from './task-protocol.js';

interface SessionMessage {
  type: 'session';
  spec: SessionSpec;
  errors: SharedArrayBuffer;
}

function runSession(message: SessionMessage): void {
  const views = viewSession(message.spec);
  const errors = new Uint8Array(message.errors);
  const control = views.control;
  let epoch = Atomics.load(control, CONTROL.EPOCH);
  let kernels: TrainingKernels | null = null;
  try {
    kernels = new TrainingKernels(views);
  } catch (error) {
    reportFailure(control, errors, error);
  }
  reportDone(control);
  for (;;) {
    waitWhileEqual(control, CONTROL.EPOCH, epoch);
    epoch = Atomics.load(control, CONTROL.EPOCH);
    const command = control[CONTROL.COMMAND] as Command;
    if (command === COMMAND.END_SESSION) {
      reportDone(control);
      return;
    }
    try {
      if (kernels) drainTasks(kernels, control, command);
    } catch (error) {
      reportFailure(control, errors, error);
    }
    reportDone(control);
  }
}

parentPort!.on('message', (message: SessionMessage) => {
  if (message.type === 'session') runSession(message);
});
