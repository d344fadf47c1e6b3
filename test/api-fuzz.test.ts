// Hostile input across the whole HTTP surface: requests generated from the routes' own
// OpenAPI schemas (field names, with values of every type) and from the MLflow endpoints,
// including the artifact proxy, sent with and without credentials. Whatever comes in, the
// answer is never a 5xx, never shows a stack trace or a server path, and always carries a
// request id. Seeded: a failure prints the seed and the request, and replays.
import fc from 'fast-check';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/index.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';
import { REPO_ROOT } from './fixtures/data-files.js';

interface Endpoint {
  method: string;
  url: string;
  /** Field names the route's schema declares for its query string and body. */
  fields: string[];
}

const HOSTILE_TEXT = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '/etc/passwd',
  '%',
  '%00',
  '\u0000',
  '🙂',
  'a'.repeat(5000),
  "' OR 1=1 --",
  '<script>',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  'models:/x@y',
  's3://bucket/key',
];
const value = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

function fieldsOf(route: RouteOptions): string[] {
  const schema = route.schema as { body?: unknown; querystring?: unknown } | undefined;
  const names = new Set<string>();
  for (const part of [schema?.body, schema?.querystring]) {
    const shape = (part as { shape?: Record<string, unknown> } | undefined)?.shape;
    for (const key of Object.keys(shape ?? {})) names.add(key);
  }
  // MLflow endpoints take their arguments by these names.
  if (route.url.includes('mlflow'))
    for (const key of ['experiment_id', 'run_id', 'name', 'version', 'key', 'value', 'path'])
      names.add(key);
  return [...names];
}

describe('the HTTP API under generated hostile requests', () => {
  let test: TestGyre;
  let app: FastifyInstance;
  const endpoints: Endpoint[] = [];
  const credentials: Record<string, string> = {};

  beforeAll(async () => {
    test = await createTestGyre('sqlite', {
      env: { GYRE_AUTH_ENABLED: 'true', GYRE_RATE_LIMIT_PER_MINUTE: '1000000' },
    });
    const routes: RouteOptions[] = [];
    app = await buildApp(test.gyre, { version: 'test', onRoute: (r) => void routes.push(r) });
    for (const route of routes) {
      if (route.url.startsWith('/api/docs')) continue;
      for (const method of ([] as string[]).concat(route.method).filter((m) => m !== 'HEAD'))
        endpoints.push({ method, url: route.url, fields: fieldsOf(route) });
    }
    for (const role of ['viewer', 'admin'] as const)
      credentials[role] =
        `Bearer ${(await test.gyre.auth.tokens.create({ name: role, role, createdBy: 't' })).token}`;
    credentials.bogus = 'Bearer gyre_0123456789abcdef.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
    credentials.basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    // Something to find: an experiment, a run, a model with a version.
    const experiment = await test.gyre.tracking.experiments.create({ name: 'fuzz' });
    await test.gyre.tracking.runs.create({ experimentId: experiment.experimentId });
    await test.gyre.registry.createModel({ name: 'fuzz' });
    await test.gyre.registry.createVersion({ name: 'fuzz', source: 's3://b/k' });
  });
  afterAll(async () => {
    await app.close();
    await test.close();
  });

  it('never answers 5xx, never leaks a stack or a path, always carries a request id', async () => {
    const request = fc.record({
      endpoint: fc.constantFrom(...endpoints),
      params: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string(), fc.constant('1')), {
        minLength: 4,
        maxLength: 4,
      }),
      query: fc.dictionary(fc.string({ maxLength: 12 }), fc.string(), { maxKeys: 2 }),
      fieldValues: fc.array(value, { minLength: 8, maxLength: 8 }),
      body: fc.oneof(fc.constant('fields'), fc.constant('json'), fc.constant('raw')),
      rawBody: fc.oneof(fc.string(), fc.constant('{"a":'), fc.constant('\u0000')),
      auth: fc.constantFrom('none', 'viewer', 'admin', 'bogus', 'basic'),
      contentType: fc.constantFrom('application/json', 'text/plain', 'text/csv', undefined),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let i = 0;
        const url = r.endpoint.url
          .replace(/:[A-Za-z]+/g, () => encodeURIComponent(r.params[i++ % 4]))
          .replace(/\*$/, () => r.params.map(encodeURIComponent).join('/'));
        const fields = Object.fromEntries(
          r.endpoint.fields.map((name, k) => [name, r.fieldValues[k % 8]]),
        );
        const isRead = r.endpoint.method === 'GET' || r.endpoint.method === 'DELETE';
        const query = isRead
          ? {
              ...r.query,
              ...Object.fromEntries(
                Object.entries(fields).map(([k, v]) => [
                  k,
                  typeof v === 'string' ? v : JSON.stringify(v),
                ]),
              ),
            }
          : r.query;
        const payload = isRead
          ? undefined
          : r.body === 'fields'
            ? JSON.stringify(fields)
            : r.body === 'json'
              ? JSON.stringify(r.fieldValues)
              : r.rawBody;
        const res = await app.inject({
          method: r.endpoint.method as 'GET',
          url,
          query,
          payload,
          headers: {
            ...(r.auth === 'none' ? {} : { authorization: credentials[r.auth] }),
            ...(payload !== undefined && r.contentType ? { 'content-type': r.contentType } : {}),
          },
        });
        const where = `${r.endpoint.method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(res.statusCode, where).toBeLessThan(500);
        expect(res.headers['x-request-id'], where).toBeTruthy();
        expect(res.body, where).not.toMatch(/\n\s+at |node:internal/);
        expect(res.body, where).not.toContain(REPO_ROOT);
        expect(res.body, where).not.toContain(test.home);
      }),
      {
        numRuns: 10_000,
        seed: 20_261_129,
        endOnFailure: true,
        // Counterexamples can hold 5,000-character strings: keep the report readable.
        asyncReporter: async (details) => {
          if (details.failed)
            throw new Error(fc.defaultReportMessage(details)?.slice(0, 4000) ?? 'property failed');
        },
      },
    );
  }, 300_000);
});
