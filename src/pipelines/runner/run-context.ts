import type { ArtifactStore } from '../../artifacts/index.js';
import type { Clock, Logger } from '../../core/index.js';
import type { DataServices } from '../../data/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { Executor } from '../executors/executor.js';
import type { PipelineSpec } from '../spec/pipeline-spec.js';
import type { StepCatalog } from '../spec/step-catalog.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import type { PipelineRun, StepStatus } from '../types.js';
import type { RunScope } from './run-scope.js';
import type { ApiAccess } from './api-endpoint.js';

/** What the runner is built with, once per process. */
export interface RunnerDeps {
  store: PipelineStore;
  executor: Executor;
  tracking: TrackingService;
  data: DataServices;
  registry: RegistryService;
  artifacts: ArtifactStore;
  catalog: StepCatalog;
  clock: Clock;
  logger: Logger;
  /** Gyre's version: the code version of built-in steps in their cache keys. */
  gyreVersion: string;
}

/** Hooks a caller (the CLI's live table, tests) may pass to watch a run. */
export interface RunObserver {
  onStep?(step: string, status: StepStatus): void;
  /** Each piece of a step's output as it arrives. */
  onLog?(step: string, text: string): void;
}

/** One run in progress: its definition, scope and ids, shared by its steps. */
export interface RunContext {
  run: PipelineRun;
  spec: PipelineSpec;
  scope: RunScope;
  experimentId: string;
  trackingRunId: string;
  /** The pipeline directory's code version, for `run` steps' cache keys. */
  codeVersion?: string;
  cwd?: string;
  /** Aborted when the run is cancelled. */
  signal: AbortSignal;
  /** The API's URL (and token) for `run` steps, acquired on first use. */
  api(): Promise<ApiAccess | undefined>;
  observer?: RunObserver;
}
