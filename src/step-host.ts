// The services built-in pipeline steps use, opened inside a step worker thread. It belongs to
// the composition root: the worker is pipelines code, which may not import gyre.ts, so the
// root names this module to it (see gyre.ts) and the worker loads it by URL.
import type { GyreConfig } from './config/index.js';
import { createGyre, type Gyre } from './gyre.js';
import { waitForApproval, type StepServices } from './pipelines/index.js';

let opened: Promise<Gyre> | undefined;

/** One Gyre per worker thread, opened on first use and kept for the worker's life. */
export async function openStepServices(config: GyreConfig): Promise<StepServices> {
  opened ??= createGyre(config);
  const gyre = await opened;
  return {
    tracking: gyre.tracking,
    data: gyre.data,
    registry: gyre.registry,
    artifacts: gyre.artifacts,
    features: gyre.features,
    serving: { deployments: gyre.serving.deployments, loader: gyre.serving.loader },
    waitForApproval: (runId, step, signal) =>
      waitForApproval(gyre.pipelines.store, runId, step, signal),
  };
}
