import type { HttpClient } from './http-client.js';

// Wire shapes of the pipelines API; the SDK does not import the pipelines domain.
export type ApiPipelineRunStatus =
  'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface ApiPipelineRun {
  id: string;
  pipelineName: string;
  pipelineVersion: number;
  status: ApiPipelineRunStatus;
  params: Record<string, unknown>;
  trigger: { kind: string; detail?: Record<string, unknown> };
  trackingRunId?: string;
  error?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface ApiPipelineStep {
  step: string;
  status: string;
  attempt: number;
  exitCode?: number;
  outputs?: Record<string, { type: string; value: unknown; digest?: string }>;
  trackingRunId?: string;
  error?: string;
  wallMs?: number;
  cpuMs?: number;
  peakRssBytes?: number;
}

export type ApiPipelineRunDetail = ApiPipelineRun & { steps: ApiPipelineStep[] };

const enc = encodeURIComponent;
const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** Typed access to Gyre's pipelines API (`/api/v1/pipelines`, `/api/v1/pipeline-runs`). */
export class PipelinesClient {
  constructor(private readonly http: HttpClient) {}

  list(): Promise<{ pipelines: { name: string; latestVersion: number }[] }> {
    return this.http.request('GET', '/api/v1/pipelines');
  }

  /** Registers YAML text or a definition object; unchanged content keeps its version. */
  register(
    definition: string | Record<string, unknown>,
  ): Promise<{ version: { name: string; version: number }; created: boolean }> {
    return this.http.request('POST', '/api/v1/pipelines', {
      body: typeof definition === 'string' ? { yaml: definition } : { spec: definition },
    });
  }

  get(name: string, version?: number): Promise<Record<string, unknown>> {
    return this.http.request('GET', `/api/v1/pipelines/${enc(name)}`, { query: { version } });
  }

  /** Starts a run on the server; the same `idempotencyKey` returns the first run again. */
  trigger(
    name: string,
    options: {
      params?: Record<string, unknown>;
      noCache?: boolean;
      version?: number;
      idempotencyKey?: string;
    } = {},
  ): Promise<{ run: ApiPipelineRun; created: boolean }> {
    return this.http.request('POST', `/api/v1/pipelines/${enc(name)}/trigger`, { body: options });
  }

  runs(
    query: {
      pipeline?: string;
      status?: ApiPipelineRunStatus;
      maxResults?: number;
      pageToken?: string;
    } = {},
  ): Promise<{ runs: ApiPipelineRun[]; nextPageToken?: string }> {
    return this.http.request('GET', '/api/v1/pipeline-runs', { query });
  }

  run(id: string): Promise<ApiPipelineRunDetail> {
    return this.http.request('GET', `/api/v1/pipeline-runs/${enc(id)}`);
  }

  /** Polls until the run has finished. */
  async wait(id: string, pollMs = 250): Promise<ApiPipelineRunDetail> {
    for (;;) {
      const run = await this.run(id);
      if (FINISHED.includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  cancel(id: string): Promise<ApiPipelineRun> {
    return this.http.request('POST', `/api/v1/pipeline-runs/${enc(id)}/cancel`);
  }

  resume(id: string): Promise<ApiPipelineRun> {
    return this.http.request('POST', `/api/v1/pipeline-runs/${enc(id)}/resume`);
  }

  approve(id: string, by: string, step?: string): Promise<ApiPipelineRunDetail> {
    return this.http.request('POST', `/api/v1/pipeline-runs/${enc(id)}/approve`, {
      body: { by, step },
    });
  }

  /** A step's log; with `follow`, yields text as the step writes it until it finishes. */
  async *logs(
    id: string,
    step: string,
    options: { follow?: boolean; signal?: AbortSignal } = {},
  ): AsyncGenerator<string> {
    const response = await fetch(
      this.http.url(`/api/v1/pipeline-runs/${enc(id)}/steps/${enc(step)}/logs`, {
        follow: options.follow ? 'true' : 'false',
      }),
      { headers: this.http.headers(), signal: options.signal },
    );
    if (!response.ok || !response.body)
      throw new Error(`logs of ${id}/${step}: HTTP ${response.status} ${await response.text()}`);
    const decoder = new TextDecoder();
    // A reader rather than `for await`: browsers' streams are not all async-iterable.
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield decoder.decode(value, { stream: true });
    }
  }
}
