import { ERROR_CODES, GyreError, maskUrlsInText, type ErrorCode } from '../core/index.js';

export interface HttpClientOptions {
  /** Base URL of a Gyre server, e.g. http://127.0.0.1:7070 */
  baseUrl: string;
  /** API token sent as a Bearer token. */
  token?: string;
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | undefined | (string | number)[];

/**
 * The transport under every SDK client: JSON in and out, and Gyre's error body turned back
 * into the same GyreError the server threw, so callers handle one error type everywhere.
 */
export class HttpClient {
  private readonly baseUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  url(path: string, query: Record<string, QueryValue> = {}): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value])
        url.searchParams.append(key, String(v));
    }
    return url.toString();
  }

  /** The headers every request carries (the API token), for callers that fetch themselves. */
  headers(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }

  request<T>(
    method: string,
    path: string,
    init: { query?: Record<string, QueryValue>; body?: unknown } = {},
  ): Promise<T> {
    return this.send<T>(method, path, {
      query: init.query,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      contentType: init.body === undefined ? undefined : 'application/json',
    });
  }

  /** A GET answered with text (a Markdown document), errors read as usual. */
  getText(path: string, query: Record<string, QueryValue> = {}): Promise<string> {
    return this.send<string>('GET', path, { query, accept: 'text/*' });
  }

  /** A GET whose body the caller reads itself (an artifact's bytes); errors as `request`'s. */
  async raw(path: string, query: Record<string, QueryValue> = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(path, query), {
        headers: this.headers(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new GyreError(
        'UNAVAILABLE',
        maskUrlsInText(`cannot reach Gyre at ${this.baseUrl}: ${(error as Error).message}`),
        {},
        { cause: error },
      );
    }
    if (!response.ok) {
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      throw errorFromBody(response.status, body);
    }
    return response;
  }

  /** Sends raw bytes (a file upload) and reads a JSON answer. */
  upload<T>(
    method: string,
    path: string,
    init: { query?: Record<string, QueryValue>; body: Blob | Uint8Array; contentType: string },
  ): Promise<T> {
    return this.send<T>(method, path, init);
  }

  private async send<T>(
    method: string,
    path: string,
    init: {
      query?: Record<string, QueryValue>;
      body?: string | Blob | Uint8Array;
      contentType?: string;
      accept?: string;
    },
  ): Promise<T> {
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
    if (init.contentType) headers['content-type'] = init.contentType;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await fetch(this.url(path, init.query), {
        method,
        headers,
        // Node's and the DOM's fetch types disagree about Uint8Array bodies; both send them.
        body: init.body as RequestInit['body'],
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new GyreError(
        'UNAVAILABLE',
        maskUrlsInText(`cannot reach Gyre at ${this.baseUrl}: ${(error as Error).message}`),
        {},
        { cause: error },
      );
    }
    const text = await response.text();
    if (response.ok && init.accept) return text as T;
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) throw errorFromBody(response.status, body);
    return body as T;
  }
}

function errorFromBody(status: number, body: unknown): GyreError {
  const error = (
    body as
      { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined
  )?.error;
  const code: ErrorCode = ERROR_CODES.includes(error?.code as ErrorCode)
    ? (error?.code as ErrorCode)
    : status >= 500
      ? 'INTERNAL'
      : 'INVALID_ARGUMENT';
  return new GyreError(code, error?.message ?? `HTTP ${status}`, error?.details ?? {});
}
