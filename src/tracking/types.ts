/** An experiment's lifecycle: deleted experiments keep their runs and can be restored. */
export type LifecycleStage = 'active' | 'deleted';

/** Which lifecycle stages a search or listing includes (MLflow's ViewType). */
export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface Experiment {
  /** A numeric string, as in MLflow; "0" is the Default experiment. */
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  /** Epoch milliseconds. */
  creationTime: number;
  lastUpdateTime: number;
  tags: Record<string, string>;
}

export interface Metric {
  key: string;
  /** May be NaN or ±Infinity. */
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** A dataset a run consumed (MLflow's DatasetInput). */
export interface DatasetInput {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
  /** Input tags; `mlflow.data.context` (e.g. "training") is also exposed as `context`. */
  tags: KeyValue[];
  context?: string;
}

/** Something a run produced: today, a registered model version. */
export interface RunOutput {
  kind: 'model_version';
  name: string;
  version: number;
  /** Epoch milliseconds when it was recorded. */
  createdAt: number;
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

/** A run with its data: latest value per metric, params, tags, inputs and outputs. */
export interface Run {
  info: RunInfo;
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
  inputs: DatasetInput[];
  outputs: RunOutput[];
}

export type { Page } from '../search/index.js';

/** What the registry needs from a run: its artifact root, datasets and latest metrics. */
export interface RunSummary {
  runId: string;
  artifactUri: string;
  datasets: { name: string; digest: string; context?: string }[];
  metrics: Metric[];
}
