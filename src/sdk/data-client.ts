import type { HttpClient, QueryValue } from './http-client.js';

// The SDK speaks JSON over HTTP and must not import the data domain; these are the wire
// shapes it needs, kept deliberately loose where the server's own types are richer.
export type Json = Record<string, unknown>;

export interface IngestOptions {
  format?: string;
  types?: Record<string, string>;
  tags?: Record<string, string>;
  createdBy?: string;
  /** Suite YAML; a failing suite registers nothing (FAILED_PRECONDITION). */
  suite?: string;
}

/** Parses `housing@3` into the URL parts `housing` and `3` (`latest` without a version). */
function refParts(ref: string): [string, string] {
  const at = ref.lastIndexOf('@');
  return at < 0 ? [ref, 'latest'] : [ref.slice(0, at), ref.slice(at + 1)];
}

const enc = encodeURIComponent;

/** Typed access to Gyre's data API (`/api/v1/datasets`, transforms, landing zones, lineage). */
export class DataClient {
  constructor(private readonly http: HttpClient) {}

  private versionPath(ref: string, suffix = ''): string {
    const [name, version] = refParts(ref);
    return `/api/v1/datasets/${enc(name)}/versions/${enc(version)}${suffix}`;
  }

  listDatasets(): Promise<{ datasets: Json[] }> {
    return this.http.request('GET', '/api/v1/datasets');
  }

  /** Ingests a file the server can read (its path, an s3:// or artifacts: URI). */
  ingest(
    name: string,
    source: string,
    options: IngestOptions = {},
  ): Promise<{ version: Json; created: boolean; report?: Json }> {
    return this.http.request('POST', `/api/v1/datasets/${enc(name)}/versions`, {
      body: { source, ...options },
    });
  }

  /**
   * Uploads a file's bytes as a new version: the server needs no path. In Node, pass
   * `await fs.openAsBlob(path)` to stream a file from disk.
   */
  upload(
    name: string,
    file: Blob | Uint8Array,
    options: { format: 'csv' | 'tsv' | 'parquet' | 'json' | 'ndjson'; fileName?: string },
  ): Promise<{ version: Json; created: boolean }> {
    return this.http.upload('PUT', `/api/v1/datasets/${enc(name)}/versions/upload`, {
      query: { format: options.format, fileName: options.fileName },
      body: file,
      contentType: 'application/octet-stream',
    });
  }

  getDataset(name: string): Promise<Json> {
    return this.http.request('GET', `/api/v1/datasets/${enc(name)}`);
  }

  listVersions(name: string): Promise<{ versions: Json[] }> {
    return this.http.request('GET', `/api/v1/datasets/${enc(name)}/versions`);
  }

  getVersion(ref: string): Promise<Json> {
    return this.http.request('GET', this.versionPath(ref));
  }

  getProfile(ref: string): Promise<Json> {
    return this.http.request('GET', this.versionPath(ref, '/profile'));
  }

  /** The URL that streams a version's content in a format (csv, tsv, parquet, json, ndjson). */
  contentUrl(ref: string, format = 'parquet'): string {
    return this.http.url(this.versionPath(ref, '/content'), { format });
  }

  diff(name: string, from: number, to: number): Promise<Json> {
    return this.http.request('GET', `/api/v1/datasets/${enc(name)}/diff`, { query: { from, to } });
  }

  validate(ref: string, suite: string, suiteName?: string): Promise<Json> {
    return this.http.request('POST', this.versionPath(ref, '/validations'), {
      body: { suite, ...(suiteName ? { suiteName } : {}) },
    });
  }

  listReports(ref: string): Promise<{ reports: Json[] }> {
    return this.http.request('GET', this.versionPath(ref, '/validations'));
  }

  transformSql(body: {
    name: string;
    sql: string;
    inputs: Record<string, string>;
    createdBy?: string;
  }): Promise<{ version: Json; created: boolean }> {
    return this.http.request('POST', '/api/v1/transforms/sql', { body });
  }

  split(body: {
    source: string;
    by: 'random' | 'hash' | 'time';
    seed?: number;
    column?: string;
    fractions?: { train: number; validation: number; test: number };
    prefix?: string;
  }): Promise<Record<string, { version: Json; created: boolean }>> {
    return this.http.request('POST', '/api/v1/transforms/split', { body });
  }

  listZones(): Promise<{ zones: Json[] }> {
    return this.http.request('GET', '/api/v1/landing-zones');
  }

  createZone(body: {
    name: string;
    uri: string;
    datasetName: string;
    suite?: string;
  }): Promise<Json> {
    return this.http.request('POST', '/api/v1/landing-zones', { body });
  }

  listZoneFiles(name: string, limit?: number): Promise<{ files: Json[] }> {
    return this.http.request('GET', `/api/v1/landing-zones/${enc(name)}/files`, {
      query: { limit },
    });
  }

  pollZone(name: string): Promise<{ outcomes: Json[] }> {
    return this.http.request('POST', `/api/v1/landing-zones/${enc(name)}/poll`, { body: {} });
  }

  /** Events after a cursor; pass the returned `next` as `after` to continue. */
  events(
    query: { after?: number; type?: string; limit?: number } = {},
  ): Promise<{ events: Json[]; next: number }> {
    return this.http.request('GET', '/api/v1/events', {
      query: query as Record<string, QueryValue>,
    });
  }

  lineage(
    kind: 'dataset' | 'transform' | 'run' | 'model_version',
    id: string,
    direction: 'up' | 'down' = 'up',
  ): Promise<Json> {
    return this.http.request('GET', `/api/v1/lineage/${enc(kind)}/${enc(id)}`, {
      query: { direction },
    });
  }
}
