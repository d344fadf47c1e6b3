/** The types a pipeline parameter, a step input or a step output may have. */
export const VALUE_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  /** A local file; its content digest (not its path) goes into the step cache key. */
  'file',
  /** A dataset version, `name@version`. */
  'dataset',
  /** A registered model version, `models:/name/version`. */
  'model',
  /** An artifact URI (a file or directory in the artifact store). */
  'artifact',
  /** A number measured by a step (a metric). */
  'metric',
  /** Any JSON value (objects, lists). */
  'json',
] as const;

export type ValueType = (typeof VALUE_TYPES)[number];

export interface ParamSpec {
  type: Exclude<ValueType, 'metric' | 'artifact'>;
  default?: unknown;
  description?: string;
}

export const MISSED_RUN_POLICIES = ['skip', 'catch_up'] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

/** What starts a pipeline besides a person. */
export type TriggerSpec =
  | {
      /** A cron expression (5 or 6 fields; croner syntax). */
      schedule: string;
      /** IANA time zone the expression is read in (default UTC). */
      timezone?: string;
      /** What to do with times missed while no scheduler ran: skip them, or run once. */
      missed?: MissedRunPolicy;
      params?: Record<string, unknown>;
    }
  /** A new version of this dataset (e.g. a file dropped in a landing zone). */
  | { dataset: string; params?: Record<string, unknown> }
  /** A new version of this registered model, or an alias of it moved. */
  | { model: string; params?: Record<string, unknown> }
  /** An alert rule fired (emitted by monitoring as `monitoring.alert.fired`). */
  | { alert: string; params?: Record<string, unknown> };

export interface RetrySpec {
  /** Attempts after the first. */
  count: number;
  /** Delay before the first retry, doubled for each later one (ms). */
  backoffMs: number;
  /** Upper bound on the delay (ms). */
  maxDelayMs: number;
}

export interface OutputSpec {
  type: ValueType;
  /** For `artifact` outputs of `run` steps: the file or directory under `$GYRE_OUTPUT_DIR`. */
  path?: string;
  description?: string;
}

export interface ResourceSpec {
  /** CPU cores (e.g. 2 or 0.5). */
  cpu?: number;
  /** GPUs (Kubernetes: `nvidia.com/gpu`, scheduled on GPU nodes); the local executor ignores it. */
  gpu?: number;
  /** Memory, Kubernetes quantity syntax (e.g. 512Mi, 4Gi). */
  memory?: string;
}

/** One step: a built-in (`uses`) or a command (`run`). */
export interface StepSpec {
  needs: string[];
  uses?: string;
  run?: string;
  /** The container image the Kubernetes executor runs `run` in; the local executor ignores it. */
  image?: string;
  with: Record<string, unknown>;
  /** Declared outputs of a `run` step; built-in steps declare their own. */
  outputs: Record<string, OutputSpec>;
  if?: string;
  retries: RetrySpec;
  timeoutMs?: number;
  cache: boolean;
  /** Extra text mixed into the cache key (bump it to force a re-run). */
  cacheKey?: string;
  resources?: ResourceSpec;
  env: Record<string, string>;
  /**
   * Environment variables from Kubernetes Secrets, `NAME: secret-name/key` (a `secretKeyRef`);
   * a local step sees the variable of that name from Gyre's own environment instead.
   */
  secrets?: Record<string, string>;
}

/** A validated pipeline: what YAML and TypeScript definitions both become. */
export interface PipelineSpec {
  name: string;
  description?: string;
  params: Record<string, ParamSpec>;
  triggers: TriggerSpec[];
  steps: Record<string, StepSpec>;
}

/** Where each part of a YAML definition is, for error messages: key path → line. */
export type LineMap = (path: (string | number)[]) => number | undefined;
