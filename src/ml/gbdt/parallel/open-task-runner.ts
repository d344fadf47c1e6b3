import { availableParallelism } from 'node:os';
import { SequentialRunner } from '../task-runner.js';
import type { TaskRunner } from '../task-runner.js';
import type { TrainingKernels } from '../training-kernels.js';
import type { SessionSpec } from '../training-session.js';
import { WorkerPool } from './worker-pool.js';

/**
 * Below this many binned values (rows × features) a second thread costs more in
 * synchronisation than it saves; `numThreads: 0` then trains in the calling thread.
 */
const VALUES_PER_EXTRA_THREAD = 1 << 20;

/** The thread count a run uses: the requested one, or (0) every core the data can keep busy. */
export function resolveThreadCount(
  requested: number,
  numRows: number,
  numFeatures: number,
): number {
  if (requested > 0) return requested;
  const byData = Math.max(1, Math.floor((numRows * numFeatures) / VALUES_PER_EXTRA_THREAD));
  return Math.max(1, Math.min(availableParallelism(), byData));
}

/** A task runner on `numThreads` threads: the calling thread plus pooled workers. */
export function openTaskRunner(
  spec: SessionSpec,
  kernels: TrainingKernels,
  numThreads: number,
): TaskRunner {
  if (numThreads <= 1) return new SequentialRunner(kernels);
  return WorkerPool.withWorkers(numThreads - 1).openSession(spec, kernels, numThreads - 1);
}
