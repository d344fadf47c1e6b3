import type { HttpClient } from './http-client.js';

/** A metric value; JSON carries NaN and ±Infinity as strings. */
export type ApiMetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export interface ApiMetric {
  key: string;
  value: ApiMetricValue;
  /** Epoch milliseconds. */
  timestamp: number;
  step: number;
}

export interface ApiExperiment {
  /** A numeric string; "0" is the Default experiment. */
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: 'active' | 'deleted';
  creationTime: number;
  lastUpdateTime: number;
  tags: Record<string, string>;
}

export type ApiRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface ApiRunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: ApiRunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: 'active' | 'deleted';
}

/** A run with its latest metric values, params, tags, dataset inputs and produced versions. */
export interface ApiRun {
  info: ApiRunInfo;
  metrics: ApiMetric[];
  params: Record<string, string>;
  tags: Record<string, string>;
  inputs: {
    name: string;
    digest: string;
    sourceType: string;
    source: string;
    context?: string;
    tags: { key: string; value: string }[];
  }[];
  outputs: { kind: 'model_version'; name: string; version: number; createdAt: number }[];
}

/** A dataset a run consumed, as logged through `logInputs`. */
export interface ApiDatasetInput {
  name: string;
  /** Up to 64 characters: a whole sha256 in hex or a prefix of one. */
  digest: string;
  /** e.g. `gyre`, `local`, `s3`. */
  sourceType: string;
  /** e.g. `housing@1` or a URI. */
  source: string;
  schema?: string;
  profile?: string;
  /** e.g. `training`; stored as the `mlflow.data.context` tag. */
  context?: string;
  tags?: Record<string, string>;
}

/** Search arguments: an MLflow filter, order, paging and which lifecycle stages to include. */
export interface ApiTrackingSearch {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
}

/** Typed client of Gyre's tracking API (/api/v1/experiments, /api/v1/runs). */
export class TrackingClient {
  constructor(private readonly http: HttpClient) {}

  searchExperiments(
    search: ApiTrackingSearch = {},
  ): Promise<{ experiments: ApiExperiment[]; nextPageToken?: string }> {
    return this.http.request('GET', '/api/v1/experiments', { query: { ...search } });
  }

  createExperiment(input: {
    name: string;
    artifactLocation?: string;
    tags?: Record<string, string>;
  }): Promise<ApiExperiment> {
    return this.http.request('POST', '/api/v1/experiments', { body: input });
  }

  getExperiment(experimentId: string): Promise<ApiExperiment> {
    return this.http.request('GET', `/api/v1/experiments/${encodeURIComponent(experimentId)}`);
  }

  updateExperiment(
    experimentId: string,
    patch: { name?: string; tags?: Record<string, string> },
  ): Promise<ApiExperiment> {
    return this.http.request('PATCH', `/api/v1/experiments/${encodeURIComponent(experimentId)}`, {
      body: patch,
    });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.http.request('DELETE', `/api/v1/experiments/${encodeURIComponent(experimentId)}`);
  }

  createRun(input: {
    experimentId?: string;
    runName?: string;
    userId?: string;
    startTime?: number;
    tags?: Record<string, string>;
  }): Promise<ApiRun> {
    return this.http.request('POST', '/api/v1/runs', { body: input });
  }

  getRun(runId: string): Promise<ApiRun> {
    return this.http.request('GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
  }

  searchRuns(
    experimentIds: string[],
    search: ApiTrackingSearch = {},
  ): Promise<{ runs: ApiRun[]; nextPageToken?: string }> {
    return this.http.request('GET', '/api/v1/runs', {
      query: { ...search, experimentId: experimentIds },
    });
  }

  updateRun(
    runId: string,
    patch: { status?: ApiRunStatus; endTime?: number; runName?: string },
  ): Promise<ApiRunInfo> {
    return this.http.request('PATCH', `/api/v1/runs/${encodeURIComponent(runId)}`, { body: patch });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.http.request('DELETE', `/api/v1/runs/${encodeURIComponent(runId)}`);
  }

  /** Logs metrics, params and tags in one all-or-nothing batch. */
  async log(
    runId: string,
    batch: {
      metrics?: { key: string; value: ApiMetricValue; timestamp?: number; step?: number }[];
      params?: Record<string, string>;
      tags?: Record<string, string>;
    },
  ): Promise<void> {
    await this.http.request('POST', `/api/v1/runs/${encodeURIComponent(runId)}/log`, {
      body: batch,
    });
  }

  /**
   * Records the datasets a run consumed. `digest` may be a Gyre dataset version's whole
   * sha256 (64 hex characters, as `gyre data show --json` prints it) or a prefix of it.
   */
  async logInputs(runId: string, datasets: ApiDatasetInput[]): Promise<void> {
    await this.http.request('POST', `/api/v1/runs/${encodeURIComponent(runId)}/inputs`, {
      body: { datasets },
    });
  }

  metricHistory(
    runId: string,
    key: string,
    page: { maxResults?: number; pageToken?: string } = {},
  ): Promise<{ metrics: ApiMetric[]; nextPageToken?: string }> {
    return this.http.request(
      'GET',
      `/api/v1/runs/${encodeURIComponent(runId)}/metrics/${encodeURIComponent(key)}`,
      { query: { ...page } },
    );
  }

  /**
   * A metric's history reduced on the server to at most `points` points (each bucket's lowest
   * and highest value), for charts of long histories; `total` is the whole history's size.
   */
  sampledMetric(
    runId: string,
    key: string,
    points = 1000,
  ): Promise<{
    key: string;
    total: number;
    points: { step: number; timestamp: number; value: number | null }[];
  }> {
    return this.http.request(
      'GET',
      `/api/v1/runs/${encodeURIComponent(runId)}/metrics/${encodeURIComponent(key)}/sampled`,
      { query: { points } },
    );
  }

  /** A run's artifacts one directory level at a time ('' is the root). */
  listArtifacts(
    runId: string,
    path = '',
  ): Promise<{
    rootUri: string;
    path: string;
    files: { path: string; isDir: boolean; size?: number }[];
  }> {
    return this.http.request('GET', `/api/v1/runs/${encodeURIComponent(runId)}/artifacts`, {
      query: { path },
    });
  }

  /** One artifact's bytes as a fetch Response (read `.text()`, `.blob()` or the stream). */
  artifact(runId: string, path: string): Promise<Response> {
    return this.http.raw(`/api/v1/runs/${encodeURIComponent(runId)}/artifacts/content`, { path });
  }
}
