import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, LOG_REDACTION, NotFoundError } from '../core/index.js';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { createTestGyre, describeEachGyre, type TestGyre } from '../test-gyre.js';
import { buildApp } from './app.js';
import { PUBLIC } from './auth/route-access.js';

describeEachGyre('health endpoints', (ctx) => {
  it('answers /healthz and reports ready once migrated', async () => {
    const app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      database: { dialect: ctx.dialect, reachable: true, pendingMigrations: [] },
    });
    await app.close();
  });
});

describe('readiness before migration', () => {
  let test: TestGyre;
  let unmigrated: TestDatabase;
  beforeEach(async () => {
    test = await createTestGyre('sqlite');
    unmigrated = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await unmigrated.drop();
    await test.close();
  });

  it('is 503 with the pending migrations named', async () => {
    const app = await buildApp({ ...test.gyre, db: unmigrated.db }, { version: '0.0.0-test' });
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'not_ready',
      database: { pendingMigrations: Object.keys(MIGRATIONS) },
    });
    await app.close();
  });
});

describeEachGyre(
  'HTTP behaviour',
  (ctx) => {
    let app: FastifyInstance;
    beforeEach(async () => {
      app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
      app.post('/test/echo', { config: { access: PUBLIC } }, async (request) => request.body);
      app.get('/test/missing', { config: { access: PUBLIC } }, async () => {
        throw new NotFoundError('experiment 42 does not exist', { experimentId: '42' });
      });
      app.get('/test/bad', { config: { access: PUBLIC } }, async () => {
        throw new InvalidArgumentError('max_results must be at most 1000', {
          field: 'max_results',
        });
      });
      app.get('/test/bug', { config: { access: PUBLIC } }, async () => {
        throw new TypeError('cannot read properties of undefined (secret internals)');
      });
    });
    afterEach(() => app.close());

    it('maps catalog errors to statuses with the stable error body', async () => {
      const missing = await app.inject('/test/missing');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({
        error: {
          code: 'NOT_FOUND',
          message: 'experiment 42 does not exist',
          details: { experimentId: '42' },
        },
      });
      const bad = await app.inject('/test/bad');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('INVALID_ARGUMENT');
    });

    it('answers unexpected errors with 500 and a request id, never the stack or message', async () => {
      const res = await app.inject({ url: '/test/bug', headers: { 'x-request-id': 'req-123' } });
      expect(res.statusCode).toBe(500);
      expect(res.headers['x-request-id']).toBe('req-123');
      expect(res.json()).toEqual({
        error: {
          code: 'INTERNAL',
          message: 'internal error (request id req-123)',
          details: { requestId: 'req-123' },
        },
      });
      expect(res.body).not.toContain('secret internals');
    });

    it('logs request URLs with secret query parameters masked', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const logged = await buildApp(ctx.gyre, {
        version: '0.0.0-test',
        logger: pino({ level: 'info', redact: LOG_REDACTION }, sink),
      });
      await logged.inject('/healthz?token=gyre_s3cret&password=hunter2&page=2');
      await logged.close();
      const request = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request');
      expect(request.url).toBe('/healthz?token=****&password=****&page=2');
      expect(lines.join('')).not.toMatch(/s3cret|hunter2/);
    });

    it('gives every response a request id', async () => {
      const res = await app.inject('/healthz');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
    });

    it('refuses bodies over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/test/echo',
        payload: { blob: 'x'.repeat(2048) },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('refuses malformed JSON with 400 INVALID_ARGUMENT', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/test/echo',
        headers: { 'content-type': 'application/json' },
        payload: '{"a":',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_ARGUMENT');
    });

    it('answers unknown routes with NOT_FOUND naming the route', async () => {
      const res = await app.inject('/api/v1/nothing?x=1');
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toEqual({
        code: 'NOT_FOUND',
        message: 'no route for GET /api/v1/nothing',
        details: {},
      });
    });

    it('exposes Prometheus metrics with a request-duration histogram by route pattern', async () => {
      await app.inject('/healthz');
      // Under /api: elsewhere an unknown path is a page of the web UI (its shell, 200).
      await app.inject('/api/no/such/route');
      const res = await app.inject('/metrics');
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain('# TYPE gyre_http_request_duration_seconds histogram');
      expect(res.body).toMatch(
        /gyre_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1/,
      );
      expect(res.body).toMatch(/route="unmatched",status_code="404"/);
      expect(res.body).toContain('gyre_process_cpu_seconds_total');
    });

    it('serves the OpenAPI document and a browsable page', async () => {
      const doc = await app.inject('/api/docs/json');
      expect(doc.statusCode).toBe(200);
      expect(doc.json()).toMatchObject({
        openapi: expect.stringMatching(/^3\./),
        info: { title: 'Gyre API' },
      });
      expect(Object.keys(doc.json().paths)).toEqual(
        expect.arrayContaining(['/healthz', '/readyz']),
      );
      const page = await app.inject('/api/docs/');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<html');
    });
  },
  { env: { GYRE_BODY_LIMIT_BYTES: '1024' } },
);
