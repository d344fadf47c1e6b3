import type { PipelineSpec } from '../spec/pipeline-spec.js';
import type { StepOutputs } from '../steps/step-types.js';
import type {
  LogChunk,
  Pipeline,
  PipelineRun,
  PipelineVersion,
  RunStatus,
  StepRun,
} from '../types.js';

export interface NewRun {
  id: string;
  pipelineName: string;
  pipelineVersion: number;
  params: Record<string, unknown>;
  trigger: PipelineRun['trigger'];
  noCache: boolean;
  steps: string[];
  /** Idempotency key of the firing that made this run; a second run with it is refused. */
  fireKey?: string;
  /** A schedule's state to advance in the same transaction. */
  schedule?: { key: string; firedAt: number };
}

export interface RunListQuery {
  pipelineName?: string;
  status?: RunStatus;
  limit: number;
  offset: number;
}

export type StepPatch = Partial<Omit<StepRun, 'runId' | 'step'>>;
export type RunPatch = Partial<
  Pick<
    PipelineRun,
    | 'status'
    | 'trackingRunId'
    | 'ownerId'
    | 'error'
    | 'startedAt'
    | 'finishedAt'
    | 'noCache'
    | 'cancelRequested'
  >
>;

/** Runs of one pipeline in one status, with the durations of those that started and finished. */
export interface RunStatusStatistics {
  pipelineName: string;
  status: RunStatus;
  runs: number;
  /** Runs with both a start and a finish time, and the sum of their durations. */
  timedRuns: number;
  durationSumMs: number;
  /** Per bound of `runStatistics`' argument: timed runs that took at most that long. */
  durationBucketCounts: number[];
  /** The latest finish time among these runs (epoch ms). */
  lastFinishedAt?: number;
}

export interface OwnerRecord {
  id: string;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
}

/** Persistence of the pipelines domain: definitions, runs, steps, logs, cache, triggers. */
export interface PipelineStore {
  /** Stores a definition; the same digest returns the existing version. */
  saveVersion(
    spec: PipelineSpec,
    digest: string,
    sourceDir: string | undefined,
    now: number,
  ): Promise<{ version: PipelineVersion; created: boolean }>;
  getPipeline(name: string): Promise<Pipeline | undefined>;
  listPipelines(): Promise<Pipeline[]>;
  /** The given version, or the latest. */
  getVersion(name: string, version?: number): Promise<PipelineVersion | undefined>;

  /** Creates a run with pending steps; with a fireKey already used, returns that run's id. */
  createRun(run: NewRun, now: number): Promise<{ runId: string; created: boolean }>;
  getRun(id: string): Promise<PipelineRun | undefined>;
  listRuns(query: RunListQuery): Promise<{ items: PipelineRun[]; hasMore: boolean }>;
  updateRun(id: string, patch: RunPatch): Promise<void>;
  /**
   * Run counts and duration histograms per pipeline and status, in one pass over the runs
   * (what `/metrics` exports); `bucketBoundsMs` are the histogram's upper bounds, ascending.
   */
  runStatistics(bucketBoundsMs: readonly number[]): Promise<RunStatusStatistics[]>;
  /**
   * Takes a queued run for `ownerId` (moving it to running) unless another live owner has it;
   * true when this owner may execute it. Two processes racing for one run: one wins.
   */
  claimRun(id: string, ownerId: string, now: number): Promise<boolean>;
  /** Runs in `running` or `queued` state, of one owner or all. */
  activeRuns(ownerId?: string): Promise<PipelineRun[]>;

  listSteps(runId: string): Promise<StepRun[]>;
  updateStep(runId: string, step: string, patch: StepPatch): Promise<void>;
  /** Approves the run's waiting steps (all, or the one named); returns how many. */
  approve(runId: string, step: string | undefined, by: string, now: number): Promise<number>;

  appendLog(runId: string, step: string, chunks: LogChunk[]): Promise<void>;
  readLog(runId: string, step: string, afterSeq: number, limit: number): Promise<LogChunk[]>;

  getCached(key: string): Promise<{ outputs: StepOutputs; runId: string } | undefined>;
  putCached(
    key: string,
    entry: { pipelineName: string; step: string; runId: string; outputs: StepOutputs },
    now: number,
  ): Promise<void>;
  deleteCached(key: string): Promise<void>;

  lastFired(scheduleKey: string): Promise<number | undefined>;
  /** Records a schedule's position without a run (missed times skipped). */
  setLastFired(scheduleKey: string, at: number): Promise<void>;

  saveOwner(owner: OwnerRecord): Promise<void>;
  heartbeat(ownerId: string, now: number): Promise<void>;
  listOwners(): Promise<OwnerRecord[]>;
  deleteOwner(ownerId: string): Promise<void>;

  /** A time-limited lease (SQLite's scheduler election); true when `holder` has it now. */
  tryLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
