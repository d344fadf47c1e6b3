import {
  InvalidArgumentError,
  NotFoundError,
  newHexId,
  systemClock,
  type Clock,
} from '../core/index.js';
import { runArtifactUri, storePathOfArtifactUri } from './artifact-location.js';
import { RUN_NAME_TAG } from './kysely-run-store.js';
import { generateRunName } from './run-names.js';
import {
  decodePageToken,
  nextPageToken,
  parseFilter,
  parseOrderBy,
  resolveMaxResults,
} from '../search/index.js';
import type { ExperimentService } from './experiment-service.js';
import type { MetricHistoryJson } from './metric-json.js';
import type { RunStore } from './store.js';
import type {
  DatasetInput,
  KeyValue,
  Metric,
  Page,
  Run,
  RunInfo,
  RunStatus,
  RunSummary,
  ViewType,
} from './types.js';
import {
  HISTORY_LIMITS,
  LIMITS,
  SEARCH_LIMITS,
  parseExperimentId,
  validateKey,
  validateValueLength,
} from './validation.js';

export interface CreateRun {
  /** Defaults to the Default experiment "0". */
  experimentId?: string;
  /** Who the client says it is; when absent, the client's `mlflow.user` tag, as MLflow does. */
  userId?: string;
  /**
   * The authenticated caller, for the HTTP layer to fill once requests carry credentials;
   * when set it is the run's user, since a client may claim any `userId` or tag.
   */
  principal?: string;
  runName?: string;
  startTime?: number;
  tags?: KeyValue[];
}

export interface RunSearch {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: ViewType;
}

export interface LogBatch {
  metrics?: Metric[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

/** The tag MLflow keeps the JSON list of models logged to a run in. */
export const LOGGED_MODELS_TAG = 'mlflow.log-model.history';

/** The tag MLflow clients put the local user name in (the run's user when none is given). */
const USER_TAG = 'mlflow.user';

/** `validKeys` remembers keys already checked in this request: a batch repeats a few keys. */
function checkMetric(m: Metric, validKeys?: Set<string>): Metric {
  if (!validKeys?.has(m.key)) {
    validateKey('metric', m.key);
    validKeys?.add(m.key);
  }
  if (typeof m.value !== 'number')
    throw new InvalidArgumentError(`metric '${m.key}' value must be a number`, { field: 'value' });
  if (!Number.isSafeInteger(m.timestamp))
    throw new InvalidArgumentError(`metric '${m.key}' timestamp must be an integer`, {
      field: 'timestamp',
    });
  if (!Number.isSafeInteger(m.step))
    throw new InvalidArgumentError(`metric '${m.key}' step must be an integer`, { field: 'step' });
  return m;
}

function checkParam(p: KeyValue): KeyValue {
  validateKey('param', p.key);
  validateValueLength('param', p.key, p.value, LIMITS.paramValueLength);
  return p;
}

function checkTag(t: KeyValue): KeyValue {
  validateKey('tag', t.key);
  validateValueLength('tag', t.key, t.value, LIMITS.runTagValueLength);
  return t;
}

/** Runs and everything logged to them. */
export class RunService {
  constructor(
    private readonly store: RunStore,
    private readonly experiments: ExperimentService,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(input: CreateRun): Promise<Run> {
    const experiment = await this.experiments.get(input.experimentId ?? '0');
    const tags = (input.tags ?? []).map(checkTag);
    const tagged = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (input.runName && tagged !== undefined && tagged !== input.runName)
      throw new InvalidArgumentError(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${input.runName}', mlflow.runName='${tagged}').`,
        { field: 'run_name' },
      );
    const runName = input.runName || tagged || generateRunName();
    const runId = newHexId();
    return this.store.create({
      runId,
      experimentId: Number(experiment.experimentId),
      runName,
      userId: input.principal || input.userId || tags.find((t) => t.key === USER_TAG)?.value || '',
      status: 'RUNNING',
      startTime: input.startTime ?? this.clock.now(),
      artifactUri: runArtifactUri(experiment.artifactLocation, runId),
      tags: [...tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: runName }],
    });
  }

  async get(runId: string): Promise<Run> {
    const run = await this.store.get(runId);
    if (!run) throw new NotFoundError(`Run with id=${runId} not found`, { runId });
    return run;
  }

  async getInfo(runId: string): Promise<RunInfo> {
    const info = await this.store.getInfo(runId);
    if (!info) throw new NotFoundError(`Run with id=${runId} not found`, { runId });
    return info;
  }

  async update(
    runId: string,
    patch: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    if (patch.runName !== undefined) checkTag({ key: RUN_NAME_TAG, value: patch.runName });
    return this.store.update(runId, { ...patch, runName: patch.runName || undefined });
  }

  async delete(runId: string): Promise<void> {
    return this.store.setLifecycle(runId, 'deleted', this.clock.now());
  }

  async restore(runId: string): Promise<void> {
    return this.store.setLifecycle(runId, 'active', this.clock.now());
  }

  async logMetric(runId: string, metric: Metric): Promise<void> {
    return this.store.write(runId, { metrics: [checkMetric(metric)], params: [], tags: [] });
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    return this.store.write(runId, { metrics: [], params: [checkParam({ key, value })], tags: [] });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    return this.store.write(runId, { metrics: [], params: [], tags: [checkTag({ key, value })] });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    if (!(await this.store.deleteTag(runId, key)))
      throw new NotFoundError(`No tag with name: ${key} in run with id ${runId}`, { runId, key });
  }

  /** Metrics, params and tags in one transaction, within MLflow's batch limits. */
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    const over = (what: string, n: number, limit: number): never => {
      throw new InvalidArgumentError(
        `A batch logging request can contain at most ${limit} ${what}. Got ${n} ${what}. Please split up ${what} across multiple requests and try again.`,
        { field: what },
      );
    };
    if (metrics.length > LIMITS.batchMetrics) over('metrics', metrics.length, LIMITS.batchMetrics);
    if (params.length > LIMITS.batchParams) over('params', params.length, LIMITS.batchParams);
    if (tags.length > LIMITS.batchTags) over('tags', tags.length, LIMITS.batchTags);
    const total = metrics.length + params.length + tags.length;
    const validKeys = new Set<string>();
    if (total > LIMITS.batchTotal) over('metrics, params and tags', total, LIMITS.batchTotal);
    if (total === 0) return this.getInfo(runId).then(() => undefined);
    return this.store.write(runId, {
      metrics: metrics.map((m) => checkMetric(m, validKeys)),
      params: params.map(checkParam),
      tags: tags.map(checkTag),
    });
  }

  async logInputs(runId: string, inputs: Omit<DatasetInput, 'context'>[]): Promise<void> {
    // Nothing to write still names a run: a missing one is NOT_FOUND, as with log-batch.
    if (inputs.length === 0) return this.getInfo(runId).then(() => undefined);
    const withContext = inputs.map((input, i): DatasetInput => {
      const field = (name: string) => `datasets[${i}].dataset.${name}`;
      for (const [name, value] of [
        ['name', input.name],
        ['digest', input.digest],
        ['source_type', input.sourceType],
        ['source', input.source],
      ] as const)
        if (typeof value !== 'string' || value === '')
          throw new InvalidArgumentError(`Missing value for required parameter '${field(name)}'`, {
            field: field(name),
          });
      if (input.name.length > LIMITS.datasetNameLength)
        throw new InvalidArgumentError(
          `${field('name')} is longer than ${LIMITS.datasetNameLength} characters`,
          { field: field('name') },
        );
      // The whole sha256 Gyre prints fits; the MLflow adapter applies MLflow's 36 itself.
      if (input.digest.length > LIMITS.fullDigestLength)
        throw new InvalidArgumentError(
          `${field('digest')} is longer than ${LIMITS.fullDigestLength} characters`,
          { field: field('digest') },
        );
      const context = input.tags.find((t) => t.key === 'mlflow.data.context')?.value;
      return { ...input, ...(context === undefined ? {} : { context }) };
    });
    return this.store.logInputs(runId, withContext);
  }

  /** Appends a logged model (MLflow's JSON model description) to the run's model history tag. */
  async logModel(runId: string, modelJson: string): Promise<void> {
    let model: unknown;
    try {
      model = JSON.parse(modelJson);
    } catch {
      throw new InvalidArgumentError("'model_json' is not valid JSON", { field: 'model_json' });
    }
    if (typeof model !== 'object' || model === null || Array.isArray(model))
      throw new InvalidArgumentError("'model_json' must be a JSON object", { field: 'model_json' });
    const run = await this.get(runId);
    const current = run.tags.find((t) => t.key === LOGGED_MODELS_TAG)?.value;
    let history: unknown[] = [];
    try {
      history = current ? (JSON.parse(current) as unknown[]) : [];
    } catch {
      history = [];
    }
    await this.setTag(runId, LOGGED_MODELS_TAG, JSON.stringify([...history, model]));
  }

  /** Every value logged for a metric; paged when `maxResults` is given, else all of them. */
  async metricHistory(
    runId: string,
    key: string,
    options: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<Metric>> {
    await this.getInfo(runId);
    const cursor = decodePageToken(options.pageToken);
    const limit =
      options.maxResults === undefined
        ? undefined
        : resolveMaxResults(options.maxResults, HISTORY_LIMITS);
    const page = await this.store.metricHistory(runId, key, { limit, offset: cursor.offset });
    const token = nextPageToken(cursor, page.items.length, page.hasMore);
    return { items: page.items, ...(token ? { nextPageToken: token } : {}) };
  }

  /** Like metricHistory, rendered as a JSON array (metric-json.ts): the fast path for big histories. */
  async metricHistoryJson(
    runId: string,
    key: string,
    options: { maxResults?: number; pageToken?: string } = {},
  ): Promise<MetricHistoryJson> {
    await this.getInfo(runId);
    const cursor = decodePageToken(options.pageToken);
    const limit =
      options.maxResults === undefined
        ? undefined
        : resolveMaxResults(options.maxResults, HISTORY_LIMITS);
    const page = await this.store.metricHistoryJson(runId, key, { limit, offset: cursor.offset });
    const token = nextPageToken(cursor, page.count, page.hasMore);
    return { json: page.json, count: page.count, ...(token ? { nextPageToken: token } : {}) };
  }

  async search(query: RunSearch): Promise<Page<Run>> {
    const ids = query.experimentIds.map(parseExperimentId);
    const cursor = decodePageToken(query.pageToken);
    const page = await this.store.search(ids, {
      filter: parseFilter(query.filter),
      orderBy: (query.orderBy ?? []).map(parseOrderBy),
      viewType: query.viewType ?? 'ACTIVE_ONLY',
      limit: resolveMaxResults(query.maxResults, SEARCH_LIMITS),
      offset: cursor.offset,
    });
    const token = nextPageToken(cursor, page.items.length, page.hasMore);
    return { items: page.items, ...(token ? { nextPageToken: token } : {}) };
  }

  /** For the registry: the run's artifact root, datasets and latest metrics, or undefined. */
  async getRunSummary(runId: string): Promise<RunSummary | undefined> {
    const run = await this.store.get(runId);
    if (!run) return undefined;
    return {
      runId,
      artifactUri: run.info.artifactUri,
      datasets: run.inputs.map((d) => ({
        name: d.name,
        digest: d.digest,
        ...(d.context === undefined ? {} : { context: d.context }),
      })),
      metrics: run.metrics,
    };
  }

  /** Records that the run produced a registered model version (a run output). */
  async recordModelOutput(runId: string, output: { name: string; version: number }): Promise<void> {
    return this.store.addOutput(runId, { kind: 'model_version', ...output }, this.clock.now());
  }

  /**
   * A run's artifact root: its URI (`mlflow-artifacts:/1/<id>/artifacts` by default) and, when
   * Gyre's ArtifactStore holds it, the store path (for resolving `runs:/<id>/path` URIs).
   */
  async artifactRoot(runId: string): Promise<{ artifactUri: string; storePath?: string }> {
    const info = await this.getInfo(runId);
    const storePath = storePathOfArtifactUri(info.artifactUri);
    return { artifactUri: info.artifactUri, ...(storePath === undefined ? {} : { storePath }) };
  }
}
