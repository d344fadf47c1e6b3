import type { Command } from '../training-layout.js';
import { CONTROL } from '../training-layout.js';
import type { TrainingKernels } from '../training-kernels.js';

/**
 * The few lines of synchronisation every training thread shares. The main thread posts a
 * command by bumping EPOCH; every thread (main included) claims task numbers from NEXT_TASK
 * until they run out; workers count themselves DONE. Threads wait with Atomics, so a
 * command costs microseconds, not a message round trip.
 */

/** Claims and runs tasks until none are left. */
export function drainTasks(kernels: TrainingKernels, control: Int32Array, command: Command): void {
  const total = control[CONTROL.NUM_TASKS];
  for (;;) {
    const task = Atomics.add(control, CONTROL.NEXT_TASK, 1);
    if (task >= total) return;
    kernels.run(command, task);
  }
}

/** Spins briefly (commands often follow each other closely), then sleeps until `index` changes. */
export function waitWhileEqual(control: Int32Array, index: number, value: number): void {
  for (let spin = 0; spin < 20_000; spin++) {
    if (Atomics.load(control, index) !== value) return;
  }
  while (Atomics.load(control, index) === value) Atomics.wait(control, index, value, 1000);
}

/** Waits until at least `count` workers have reported DONE. */
export function waitForDone(control: Int32Array, count: number): void {
  for (;;) {
    const done = Atomics.load(control, CONTROL.DONE);
    if (done >= count) return;
    waitWhileEqual(control, CONTROL.DONE, done);
  }
}

export function reportDone(control: Int32Array): void {
  Atomics.add(control, CONTROL.DONE, 1);
  Atomics.notify(control, CONTROL.DONE);
}

/** Writes a worker's failure where the main thread will read it. */
export function reportFailure(control: Int32Array, errorBytes: Uint8Array, error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const bytes = new TextEncoder().encode(message).subarray(0, errorBytes.length - 1);
  if (Atomics.compareExchange(control, CONTROL.FAILED, 0, 1) === 0) {
    errorBytes.fill(0);
    errorBytes.set(bytes);
  }
}

export function readFailure(errorBytes: Uint8Array): string {
  const end = errorBytes.indexOf(0);
  return new TextDecoder().decode(errorBytes.subarray(0, end < 0 ? errorBytes.length : end));
}
