import type { HttpClient } from './http-client.js';

/** One version of a registered model, as Gyre's API returns it. */
export interface ApiModelVersion {
  name: string;
  version: number;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  stage: 'None' | 'Staging' | 'Production' | 'Archived';
  description?: string;
  source: string;
  runId?: string;
  runLink?: string;
  status: 'PENDING_REGISTRATION' | 'READY' | 'FAILED_REGISTRATION';
  statusMessage?: string;
  tags: Record<string, string>;
  aliases: string[];
  /** Flavors and signature read from the source's MLmodel file. */
  metadata?: { flavors: Record<string, unknown>; signature?: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  /** The source run's datasets and latest metrics when the version was registered. */
  lineage?: {
    runId: string;
    datasets: { name: string; digest: string; context?: string }[];
    metrics: {
      key: string;
      value: number | 'NaN' | 'Infinity' | '-Infinity';
      step: number;
      timestamp: number;
    }[];
  };
}

/** A registered model with the newest version in each stage. */
export interface ApiRegisteredModel {
  name: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  tags: Record<string, string>;
  aliases: { alias: string; version: number }[];
  latestVersions: ApiModelVersion[];
}

/** A search: an MLflow filter, order_by clauses and paging. */
export interface ApiSearch {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

/** What a model or run URI resolves to. */
export interface ApiResolvedModelUri {
  uri: string;
  artifactUri: string;
  storePath?: string;
  modelVersion?: ApiModelVersion;
}

const enc = encodeURIComponent;

/** Typed client of Gyre's model-registry API (`/api/v1/models`). */
export class RegistryClient {
  constructor(private readonly http: HttpClient) {}

  searchModels(search: ApiSearch = {}) {
    return this.http.request<{ models: ApiRegisteredModel[]; nextPageToken?: string }>(
      'GET',
      '/api/v1/models',
      { query: { ...search } },
    );
  }

  createModel(input: { name: string; description?: string; tags?: Record<string, string> }) {
    return this.http.request<ApiRegisteredModel>('POST', '/api/v1/models', { body: input });
  }

  getModel(name: string) {
    return this.http.request<ApiRegisteredModel>('GET', `/api/v1/models/${enc(name)}`);
  }

  /** Renames (`name`) and/or re-describes a model. */
  updateModel(name: string, patch: { name?: string; description?: string }) {
    return this.http.request<ApiRegisteredModel>('PATCH', `/api/v1/models/${enc(name)}`, {
      body: patch,
    });
  }

  async deleteModel(name: string): Promise<void> {
    await this.http.request('DELETE', `/api/v1/models/${enc(name)}`);
  }

  async setModelTag(name: string, key: string, value: string): Promise<void> {
    await this.http.request('PUT', `/api/v1/models/${enc(name)}/tags/${enc(key)}`, {
      body: { value },
    });
  }

  listVersions(name: string, search: ApiSearch = {}) {
    return this.http.request<{ versions: ApiModelVersion[]; nextPageToken?: string }>(
      'GET',
      `/api/v1/models/${enc(name)}/versions`,
      { query: { ...search } },
    );
  }

  searchVersions(search: ApiSearch = {}) {
    return this.http.request<{ versions: ApiModelVersion[]; nextPageToken?: string }>(
      'GET',
      '/api/v1/model-versions',
      { query: { ...search } },
    );
  }

  createVersion(
    name: string,
    input: {
      source: string;
      runId?: string;
      runLink?: string;
      description?: string;
      tags?: Record<string, string>;
    },
  ) {
    return this.http.request<ApiModelVersion>('POST', `/api/v1/models/${enc(name)}/versions`, {
      body: input,
    });
  }

  getVersion(name: string, version: number) {
    return this.http.request<ApiModelVersion>(
      'GET',
      `/api/v1/models/${enc(name)}/versions/${version}`,
    );
  }

  /** Changes a description and/or moves the version to a stage. */
  updateVersion(
    name: string,
    version: number,
    patch: { description?: string; stage?: string; archiveExistingVersions?: boolean },
  ) {
    return this.http.request<ApiModelVersion>(
      'PATCH',
      `/api/v1/models/${enc(name)}/versions/${version}`,
      { body: patch },
    );
  }

  async deleteVersion(name: string, version: number): Promise<void> {
    await this.http.request('DELETE', `/api/v1/models/${enc(name)}/versions/${version}`);
  }

  async setVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    await this.http.request(
      'PUT',
      `/api/v1/models/${enc(name)}/versions/${version}/tags/${enc(key)}`,
      { body: { value } },
    );
  }

  setAlias(name: string, alias: string, version: number) {
    return this.http.request<ApiModelVersion>(
      'PUT',
      `/api/v1/models/${enc(name)}/aliases/${enc(alias)}`,
      { body: { version } },
    );
  }

  getAlias(name: string, alias: string) {
    return this.http.request<ApiModelVersion>(
      'GET',
      `/api/v1/models/${enc(name)}/aliases/${enc(alias)}`,
    );
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.http.request('DELETE', `/api/v1/models/${enc(name)}/aliases/${enc(alias)}`);
  }

  /** Resolves `models:/name/3`, `models:/name@alias`, `models:/name/latest`, `models:/name/Production`, `runs:/<id>/path`. */
  resolveModelUri(uri: string) {
    return this.http.request<ApiResolvedModelUri>('GET', '/api/v1/model-uris/resolve', {
      query: { uri },
    });
  }
}
