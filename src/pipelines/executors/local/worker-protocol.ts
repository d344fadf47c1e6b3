import type { StepOutputs } from '../../steps/step-types.js';

/** What a step worker is started with. */
export interface StepWorkerData {
  /** URL of a built module exporting `openStepServices(options)` (the composition root's). */
  hostModule: string;
  /** Passed to `openStepServices`: the process's configuration. */
  hostOptions: unknown;
}

/** One built-in step to run, as sent to a worker. */
export interface WorkerTask {
  type: 'run';
  uses: string;
  inputs: Record<string, unknown>;
  runId: string;
  step: string;
  attempt: number;
  workDir: string;
  experimentId: string;
  pipelineRunId: string;
  stepRunId: string;
}

export type ToWorker = WorkerTask | { type: 'abort'; reason: string };

export type FromWorker =
  | { type: 'log'; text: string }
  | { type: 'done'; outputs: StepOutputs; cpuMs?: number; peakHeapBytes: number }
  | { type: 'failed'; message: string; cpuMs?: number; peakHeapBytes: number };
