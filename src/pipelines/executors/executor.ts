import type { OutputSpec, ResourceSpec } from '../spec/pipeline-spec.js';
import type { OutputValue, StepOutputs } from '../steps/step-types.js';
import type { StepProcess } from '../types.js';

/** One attempt of one step, fully resolved: what an executor needs to run it anywhere. */
export interface StepTask {
  runId: string;
  /** The pipeline's name (a label of a step's Job). */
  pipeline?: string;
  step: string;
  attempt: number;
  kind: 'run' | 'builtin';
  /** `run` steps: the shell command. */
  command?: string;
  /** `run` steps: the container image (Kubernetes); the local executor ignores it. */
  image?: string;
  /** Built-in steps: the step type, e.g. `ml/train`. */
  uses?: string;
  /** `with`, templates resolved. */
  inputs: Record<string, unknown>;
  /** Declared outputs of a `run` step. */
  outputs: Record<string, OutputSpec>;
  /** The step's own `env`, plus GYRE_URL / MLFLOW_TRACKING_URI / GYRE_RUN_ID when known. */
  env: Record<string, string>;
  /** Where `run` commands start (the pipeline's directory when it came from a file). */
  cwd?: string;
  resources?: ResourceSpec;
  /** Variables from Kubernetes Secrets (`NAME: secret-name/key`); see StepSpec.secrets. */
  secrets?: Record<string, string>;
  /** The step's timeout: the runner aborts at it; a Job also gets it as its deadline. */
  timeoutMs?: number;
  tracking: { experimentId: string; pipelineRunId: string; stepRunId: string };
}

export type AttemptStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out';

/** What an attempt measured and produced. */
export interface AttemptResult {
  status: AttemptStatus;
  exitCode?: number;
  error?: string;
  outputs: StepOutputs;
  usage: { wallMs: number; cpuMs?: number; peakRssBytes?: number };
}

/** Why a step's signal was aborted: the runner aborts with one of these as the reason. */
export const TIMEOUT_REASON = 'timeout';
export const CANCEL_REASON = 'cancelled';

/** How an executor talks back to the runner while a step runs. */
export interface StepIo {
  /** Aborted on cancellation (reason `cancelled`) or timeout (reason `timeout`). */
  signal: AbortSignal;
  /** Step output, in pieces as it arrives (not necessarily whole lines). */
  log(text: string): void;
  /**
   * The step's process started: recorded so a restart can kill it if its owner dies. The
   * command waits until this resolves, so nothing runs that a restart could not find.
   */
  onProcess(process: StepProcess): Promise<void>;
  /** Stores a file or directory the step produced as an artifact of its tracking run. */
  publishArtifact(name: string, localPath: string): Promise<OutputValue>;
}

/**
 * Where steps run. The runner decides what runs when; an executor only runs one attempt and
 * reports back. `executors/local/` runs commands as child processes and built-in steps on
 * worker threads; `executors/kubernetes/` runs each as a Job without the runner changing.
 */
export interface Executor {
  readonly name: string;
  execute(task: StepTask, io: StepIo): Promise<AttemptResult>;
  /** Kills what a dead owner left running; returns how many process groups were killed. */
  reap(processes: StepProcess[]): Promise<number>;
  /** Stops idle workers; steps in progress are the runner's to cancel first. */
  close(): Promise<void>;
}
