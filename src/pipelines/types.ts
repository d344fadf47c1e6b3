import type { PipelineSpec } from './spec/pipeline-spec.js';
import type { StepOutputs } from './steps/step-types.js';

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  /** Its owner died mid-run; `gyre pipelines resume` continues it. */
  'interrupted',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_STATUSES = [
  'pending',
  'running',
  /** A gate waiting for `gyre approve <run>`. */
  'waiting_approval',
  'succeeded',
  /** Outputs reused from an earlier run with the same cache key. */
  'cached',
  'failed',
  /** Its `if` was false, or a step it needs did not succeed. */
  'skipped',
  'cancelled',
  'interrupted',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** The statuses a step ends in: it will not run again in this run. */
export const FINISHED_STEP_STATUSES: readonly StepStatus[] = [
  'succeeded',
  'cached',
  'failed',
  'skipped',
  'cancelled',
  'interrupted',
];

export const FINISHED_RUN: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
];
export const DONE_STEP: readonly StepStatus[] = ['succeeded', 'cached', 'skipped'];

/** A registered pipeline; its versions hold the definitions. */
export interface Pipeline {
  name: string;
  latestVersion: number;
  createdAt: number;
  updatedAt: number;
}

export interface PipelineVersion {
  id: string;
  name: string;
  version: number;
  /** sha256 of the canonical definition: equal definitions are one version. */
  digest: string;
  spec: PipelineSpec;
  /** The directory the YAML was read from (its git commit joins the cache key). */
  sourceDir?: string;
  createdAt: number;
}

/** What started a run. */
export interface RunTrigger {
  kind: 'manual' | 'api' | 'schedule' | 'event';
  /** e.g. the cron expression and time, or the event type and id. */
  detail?: Record<string, unknown>;
  /** Values templates read as `${{ trigger.<key> }}`. */
  values?: Record<string, unknown>;
}

export interface PipelineRun {
  id: string;
  pipelineName: string;
  pipelineVersion: number;
  status: RunStatus;
  params: Record<string, unknown>;
  trigger: RunTrigger;
  trackingRunId?: string;
  /** The process running it (see pipeline_owners). */
  ownerId?: string;
  noCache: boolean;
  cancelRequested: boolean;
  error?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

/** The process a step runs in, so a restart can kill what a dead owner left behind. */
export interface StepProcess {
  host: string;
  pid: number;
  pgid: number;
  /** Start time from /proc: guards against killing a recycled pid. */
  procStart?: string;
}

export interface StepRun {
  runId: string;
  step: string;
  status: StepStatus;
  attempt: number;
  exitCode?: number;
  outputs?: StepOutputs;
  cacheKey?: string;
  trackingRunId?: string;
  error?: string;
  startedAt?: number;
  finishedAt?: number;
  wallMs?: number;
  cpuMs?: number;
  peakRssBytes?: number;
  process?: StepProcess;
  approvedBy?: string;
  approvedAt?: number;
}

export interface PipelineRunDetail extends PipelineRun {
  steps: StepRun[];
}

export interface LogChunk {
  seq: number;
  text: string;
  createdAt: number;
}
