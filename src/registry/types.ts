/** The legacy lifecycle stages MLflow model versions move through, in MLflow's spelling. */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export const MODEL_VERSION_STATUSES = [
  'PENDING_REGISTRATION',
  'READY',
  'FAILED_REGISTRATION',
] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

/** A named model: a home for its numbered versions. */
export interface RegisteredModel {
  name: string;
  description?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds; moves when the model or one of its versions changes. */
  updatedAt: number;
  tags: Record<string, string>;
  /** Every alias of the model and the version it points at, sorted by alias. */
  aliases: { alias: string; version: number }[];
}

/** What registration learned from the source's `MLmodel` file. */
export interface ModelMetadata {
  /** Flavor name → flavor configuration, as written in the MLmodel file. */
  flavors: Record<string, unknown>;
  /** The model signature; `inputs`/`outputs` are parsed from their JSON strings when possible. */
  signature?: { inputs?: unknown; outputs?: unknown; params?: unknown };
  modelUuid?: string;
  mlflowVersion?: string;
  createdAtUtc?: string;
  /** The run id the MLmodel file names (the run that logged the model). */
  runId?: string;
}

/** A dataset the source run consumed, as the run recorded it. */
export interface LineageDataset {
  name: string;
  digest: string;
  context?: string;
}

/** The latest value of one metric of the source run. NaN and ±Infinity survive the snapshot. */
export interface LineageMetric {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

/** A snapshot of the source run taken when the version was registered. */
export interface Lineage {
  runId: string;
  datasets: LineageDataset[];
  metrics: LineageMetric[];
}

/** One numbered version of a registered model. */
export interface ModelVersion {
  name: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  stage: ModelStage;
  description?: string;
  source: string;
  runId?: string;
  runLink?: string;
  status: ModelVersionStatus;
  statusMessage?: string;
  tags: Record<string, string>;
  /** Aliases pointing at this version, sorted. */
  aliases: string[];
  metadata?: ModelMetadata;
  lineage?: Lineage;
}

/** A registered model with the newest version in each stage (MLflow's `latest_versions`). */
export interface RegisteredModelDetail extends RegisteredModel {
  latestVersions: ModelVersion[];
}

/** What the registry needs to know about a tracking run. */
export interface RunSummary {
  runId: string;
  /** Root URI of the run's artifacts, e.g. `mlflow-artifacts:/1/<run id>/artifacts`. */
  artifactUri: string;
  datasets: LineageDataset[];
  /** Latest value per metric key. */
  metrics: LineageMetric[];
}

/**
 * The registry's narrow view of tracking, wired by the composition root, so the registry
 * never depends on tracking internals.
 */
export interface RunLookup {
  /** The run with its inputs and latest metrics, or undefined when there is no such run. */
  getRun(runId: string): Promise<RunSummary | undefined>;
  /** Records on the run that it produced a model version (the run's outputs). */
  recordModelOutput?(runId: string, output: { name: string; version: number }): Promise<void>;
}

export type { Page } from '../search/index.js';
