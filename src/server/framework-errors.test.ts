// Errors raised before a route runs — by the router, the content-type parser, or Node's HTTP
// parser — answer with Gyre's error body and a request id like every other error. The 431
// comes from Node before Fastify sees a request, so it is exercised over a raw socket.
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGyre, type TestGyre } from '../test-gyre.js';
import { buildApp } from './app.js';
import { listen } from './lifecycle.js';

/** Sends raw bytes and resolves with the whole response once the server closes or answers. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('close', () => resolve(response));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      // The server may reset the socket after answering; the answer is what counts.
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(response) : reject(error),
    );
  });
}

function parseRaw(response: string): {
  status: number;
  headers: Map<string, string>;
  body: string;
} {
  const [head, ...rest] = response.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = new Map(
    headerLines.map((l) => [
      l.slice(0, l.indexOf(':')).toLowerCase(),
      l.slice(l.indexOf(':') + 1).trim(),
    ]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('framework errors', () => {
  let test: TestGyre;
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    test = await createTestGyre('sqlite');
    app = await buildApp(test.gyre, { version: '0.0.0-test' });
    port = Number(new URL(await listen(app, { host: '127.0.0.1', port: 0 })).port);
  });
  afterAll(async () => {
    await app.close();
    await test.close();
  });

  it('answers a malformed percent-encoding in the path with INVALID_ARGUMENT and a request id', async () => {
    const res = await app.inject({ url: '/%zz', headers: { 'x-request-id': 'bad-url-1' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-request-id']).toBe('bad-url-1');
    expect(res.json()).toEqual({
      error: {
        code: 'INVALID_ARGUMENT',
        message: "the URL path '/%zz' is not valid percent-encoding",
        details: { field: 'url' },
      },
    });
  });

  it('answers it in MLflow terms under the MLflow prefixes', async () => {
    const res = await app.inject('/api/2.0/mlflow/experiments/%zz');
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
    expect(res.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "the URL path '/api/2.0/mlflow/experiments/%zz' is not valid percent-encoding",
    });
  });

  it('serves path parameters as long as the names the registry allows', async () => {
    const name = 'm'.repeat(256);
    await test.gyre.registry.createModel({ name });
    const res = await app.inject(`/api/v1/models/${name}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe(name);
  });

  it("answers a path parameter too long for any name with 414 and Gyre's body", async () => {
    const res = await app.inject(`/api/v1/models/${'m'.repeat(5000)}`);
    expect(res.statusCode).toBe(414);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(res.body.length).toBeLessThan(500);
  });

  it("answers headers over the size limit with 431, Gyre's body and a request id", async () => {
    const raw = await rawRequest(
      port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const res = parseRaw(raw);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(res.body)).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'request headers are larger than the server accepts',
        details: {},
      },
    });
  });

  it('answers a URL longer than the header limit with 431 too', async () => {
    const res = parseRaw(
      await rawRequest(port, `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: h\r\n\r\n`),
    );
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("answers a request that is not HTTP with 400 and Gyre's body", async () => {
    const res = parseRaw(await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('answers an unsupported media type on /api/v1 with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/experiments',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
    expect(res.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(res.json().error.message).toMatch(/text\/plain/);
  });

  it.each(['application/xml', 'application/x-www-form-urlencoded'])(
    'answers %s on /api/v1 with 415 as well',
    async (contentType) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/models',
        headers: { 'content-type': contentType },
        payload: '<name>x</name>',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it("keeps MLflow's own answer to a wrong content type on the MLflow API", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/experiments/create',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });
});
