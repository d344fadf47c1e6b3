import type { ArtifactStore } from '../../artifacts/index.js';
import type { DataServices } from '../../data/index.js';
import type { FeatureServices } from '../../features/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { DeploymentService, ModelLoader } from '../../serving/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { OutputSpec, ValueType } from '../spec/pipeline-spec.js';

/** One declared input of a built-in step. */
export interface InputDecl {
  type: ValueType;
  required?: boolean;
  default?: unknown;
  /** Allowed values of a string input. */
  oneOf?: readonly string[];
  description: string;
}

/**
 * A value a step produced. `digest` is what downstream cache keys use: the content hash of
 * an artifact or dataset version, so equal content means an equal key whatever its name.
 */
export interface OutputValue {
  type: ValueType;
  value: string | number | boolean | null | Record<string, unknown> | unknown[];
  digest?: string;
  /** For artifacts in Gyre's store: the store path, checked before a cached output is reused. */
  storePath?: string;
}

export type StepOutputs = Record<string, OutputValue>;

/** The services a built-in step may use; a step host builds them once per worker. */
export interface StepServices {
  tracking: TrackingService;
  data: DataServices;
  registry: RegistryService;
  artifacts: ArtifactStore;
  /** The feature store (`features/training-set`). */
  features: Pick<FeatureServices, 'trainingSets'>;
  /** Deployments (`serving/deploy`) and the model loader (`ml/batch-predict`). */
  serving: { deployments: DeploymentService; loader: ModelLoader };
  /** Waits until a person approves this step (`gyre approve <run>`), or the signal aborts. */
  waitForApproval(runId: string, step: string, signal: AbortSignal): Promise<string>;
}

/** What one execution of a built-in step gets besides its inputs. */
export interface StepContext {
  services: StepServices;
  /** The pipeline run and its tracking run. */
  runId: string;
  pipelineTrackingRunId: string;
  /** This step's nested tracking run: metrics, params and artifacts go here. */
  trackingRunId: string;
  experimentId: string;
  step: string;
  attempt: number;
  /** A scratch directory of this attempt, removed afterwards. */
  workDir: string;
  /** Writes one line to the step's log. */
  log(line: string): void;
  /** Aborted when the step is cancelled or times out. */
  signal: AbortSignal;
}

/**
 * A built-in step (`uses: data/split`). Adding one is a file exporting this, plus one line in
 * steps/builtin-steps.ts. `run` executes in a step host (a worker thread), never in the
 * runner's own thread, so a long training does not stall the server.
 */
export interface BuiltinStep {
  uses: string;
  description: string;
  inputs: Record<string, InputDecl>;
  outputs: Record<string, OutputSpec>;
  /** `false` for steps that change the world (a deployment): never answered from the cache. */
  cacheable?: boolean;
  run(ctx: StepContext, inputs: Record<string, unknown>): Promise<StepOutputs>;
}
