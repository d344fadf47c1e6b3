import type { FilterAst, OrderByClause } from '../search/index.js';
import type {
  DatasetInput,
  Experiment,
  LifecycleStage,
  Metric,
  KeyValue,
  Run,
  RunInfo,
  RunOutput,
  RunStatus,
  ViewType,
} from './types.js';

/** A search after parsing: the store compiles the filter and order for its own tables. */
export interface SearchQuery {
  filter: FilterAst;
  orderBy: OrderByClause[];
  viewType: ViewType;
  limit: number;
  offset: number;
}

/** One page from a store; `hasMore` tells the service whether to issue a page token. */
export interface StorePage<T> {
  items: T[];
  hasMore: boolean;
}

/** Persistence of experiments and their tags. */
export interface ExperimentStore {
  /**
   * Creates an experiment with the next free numeric id. `artifactLocation` gets that id (the
   * default location names it). AlreadyExistsError when the name is taken, even by a deleted one.
   */
  create(input: {
    name: string;
    artifactLocation: (id: string) => string;
    tags: KeyValue[];
    now: number;
  }): Promise<Experiment>;
  get(id: number): Promise<Experiment | undefined>;
  getByName(name: string): Promise<Experiment | undefined>;
  search(query: SearchQuery): Promise<StorePage<Experiment>>;
  /** Renames; AlreadyExistsError when the new name is taken. False when there is no such experiment. */
  rename(id: number, name: string, now: number): Promise<boolean>;
  /** Moves the experiment (and, as MLflow does, its runs) to a lifecycle stage. */
  setLifecycle(id: number, stage: LifecycleStage, now: number): Promise<void>;
  setTag(id: number, tag: KeyValue, now: number): Promise<void>;
  /** False when the tag did not exist. */
  deleteTag(id: number, key: string): Promise<boolean>;
}

export interface NewRun {
  runId: string;
  experimentId: number;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  artifactUri: string;
  tags: KeyValue[];
}

/** Metrics, params and tags written together in one transaction. */
export interface RunWrites {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** Persistence of runs and everything logged to them. */
export interface RunStore {
  /** Creates a run in an active experiment (NotFound / FailedPrecondition otherwise). */
  create(run: NewRun): Promise<Run>;
  getInfo(runId: string): Promise<RunInfo | undefined>;
  get(runId: string): Promise<Run | undefined>;
  /** Updates status, end time and/or name of an active run. */
  update(
    runId: string,
    patch: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo>;
  setLifecycle(runId: string, stage: LifecycleStage, now: number): Promise<void>;
  /**
   * Writes metrics (history and latest value), params (write-once) and tags to an active run
   * in one transaction: all of it lands or none does.
   */
  write(runId: string, writes: RunWrites): Promise<void>;
  /** False when the tag did not exist. Refused for a non-active run. */
  deleteTag(runId: string, key: string): Promise<boolean>;
  /** Records dataset inputs; logging the same dataset (name, digest) again is a no-op. */
  logInputs(runId: string, inputs: DatasetInput[]): Promise<void>;
  /** Records an output; recording the same one again is a no-op. */
  addOutput(runId: string, output: Omit<RunOutput, 'createdAt'>, now: number): Promise<void>;
  /** Every logged value of one metric, by step then timestamp. */
  metricHistory(
    runId: string,
    key: string,
    page: { limit?: number; offset: number },
  ): Promise<StorePage<Metric>>;
  /**
   * The same history rendered as a JSON array (metric-json.ts) by the database itself where it
   * can, so a 100,000-point history never becomes 100,000 JavaScript objects.
   */
  metricHistoryJson(
    runId: string,
    key: string,
    page: { limit?: number; offset: number },
  ): Promise<{ json: string; count: number; hasMore: boolean }>;
  search(experimentIds: number[], query: SearchQuery): Promise<StorePage<Run>>;
}
