import { isGyreError } from '../../core/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { StepOutputs } from '../steps/step-types.js';
import type { RunStatus, StepStatus } from '../types.js';

/** The experiment every run of a pipeline is logged to. */
export const experimentNameOf = (pipeline: string) => `pipelines/${pipeline}`;

export async function pipelineExperiment(
  tracking: TrackingService,
  pipeline: string,
): Promise<string> {
  const name = experimentNameOf(pipeline);
  const found = await tracking.experiments.getByName(name).catch(() => undefined);
  if (found) return found.experimentId;
  try {
    return (await tracking.experiments.create({ name })).experimentId;
  } catch (error) {
    // Another process created it a moment ago.
    if (isGyreError(error) && error.code === 'ALREADY_EXISTS')
      return (await tracking.experiments.getByName(name)).experimentId;
    throw error;
  }
}

const paramText = (v: unknown) =>
  (typeof v === 'object' ? JSON.stringify(v) : String(v)).slice(0, 6000);

/** The tracking run of a pipeline run: its params and where it came from, as tags. */
export async function createPipelineTrackingRun(
  tracking: TrackingService,
  input: {
    experimentId: string;
    pipeline: string;
    version: number;
    runId: string;
    params: Record<string, unknown>;
    trigger: string;
  },
): Promise<string> {
  const run = await tracking.runs.create({
    experimentId: input.experimentId,
    runName: `${input.pipeline}-${input.runId.slice(0, 8)}`,
    tags: [
      { key: 'gyre.pipeline', value: input.pipeline },
      { key: 'gyre.pipeline.version', value: String(input.version) },
      { key: 'gyre.pipeline.run', value: input.runId },
      { key: 'gyre.pipeline.trigger', value: input.trigger },
      { key: 'mlflow.source.type', value: 'PIPELINE' },
    ],
  });
  const params = Object.entries(input.params).map(([key, value]) => ({
    key,
    value: paramText(value),
  }));
  if (params.length > 0) await tracking.runs.logBatch(run.info.runId, { params });
  return run.info.runId;
}

/** A step's nested run (MLflow's `mlflow.parentRunId`), so MLflow UIs show it under the pipeline's. */
export async function createStepTrackingRun(
  tracking: TrackingService,
  input: {
    experimentId: string;
    parentRunId: string;
    step: string;
    runId: string;
    cached?: boolean;
  },
): Promise<string> {
  const run = await tracking.runs.create({
    experimentId: input.experimentId,
    runName: input.step,
    tags: [
      { key: 'mlflow.parentRunId', value: input.parentRunId },
      { key: 'gyre.pipeline.run', value: input.runId },
      { key: 'gyre.pipeline.step', value: input.step },
      ...(input.cached ? [{ key: 'gyre.pipeline.cached', value: 'true' }] : []),
    ],
  });
  return run.info.runId;
}

/** Logs a step's metric outputs to its run and, prefixed with the step, to the pipeline's. */
export async function logStepMetrics(
  tracking: TrackingService,
  ids: { stepRunId: string; pipelineRunId: string; step: string },
  outputs: StepOutputs,
  now: number,
): Promise<void> {
  const metrics = Object.entries(outputs).filter(
    ([, o]) => o.type === 'metric' && typeof o.value === 'number',
  );
  if (metrics.length === 0) return;
  const at = (key: string, value: number) => ({ key, value, timestamp: now, step: 0 });
  await tracking.runs.logBatch(ids.stepRunId, {
    metrics: metrics.map(([k, o]) => at(k, o.value as number)),
  });
  await tracking.runs.logBatch(ids.pipelineRunId, {
    metrics: metrics.map(([k, o]) => at(`${ids.step}.${k}`, o.value as number)),
  });
}

const TRACKING_STATUS: Record<
  RunStatus | StepStatus,
  'FINISHED' | 'FAILED' | 'KILLED' | 'RUNNING'
> = {
  queued: 'RUNNING',
  running: 'RUNNING',
  pending: 'RUNNING',
  waiting_approval: 'RUNNING',
  succeeded: 'FINISHED',
  cached: 'FINISHED',
  skipped: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
  interrupted: 'KILLED',
};

/** Ends a tracking run with the MLflow status matching a pipeline or step status. */
export async function endTrackingRun(
  tracking: TrackingService,
  runId: string,
  status: RunStatus | StepStatus,
  now: number,
): Promise<void> {
  await tracking.runs
    .update(runId, { status: TRACKING_STATUS[status], endTime: now })
    .catch(() => {});
}
