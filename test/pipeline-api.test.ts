// The pipelines REST API in process (app.inject), on SQLite and PostgreSQL: bad definitions are
// 4xx naming the step and line, a trigger runs on the server and is idempotent by key, logs
// stream, and the routes are in the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../src/server/index.js';
import { describeEachGyre } from '../src/test-gyre.js';

const YAML = `name: hello
params:
  who: world
steps:
  greet:
    run: echo "hello $GYRE_INPUT_WHO"
    with:
      who: \${{ params.who }}
  after:
    needs: greet
    run: echo done
`;

describeEachGyre('pipelines API', (ctx) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
  });
  afterEach(async () => {
    await app.close();
  });

  it('refuses a bad definition with 400, naming the step and the line', async () => {
    const bad = YAML.replace('needs: greet', 'needs: gret').replace('params.who', 'params.whom');
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/pipelines',
      payload: { yaml: bad },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json<{
      error: {
        code: string;
        message: string;
        details: { errors: { line: number; step: string }[] };
      };
    }>();
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(
      'body.yaml line 8: steps.greet.with.who: params.whom: no such param',
    );
    expect(error.message).toContain(
      'body.yaml line 10: steps.after.needs[0]: step after needs unknown step gret',
    );
    expect(error.details.errors.map((e) => e.step)).toEqual(['greet', 'after']);
  });

  it('registers, triggers once per idempotency key, and serves the run and its logs', async () => {
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/pipelines',
      payload: { yaml: YAML },
    });
    expect(registered.statusCode).toBe(201);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/pipelines',
      payload: { yaml: YAML },
    });
    expect(again.statusCode).toBe(200);

    const trigger = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/pipelines/hello/trigger',
        headers: { 'idempotency-key': 'deploy-42' },
        payload: { params: { who: 'gyre' } },
      });
    const first = await trigger();
    expect(first.statusCode).toBe(202);
    const { run } = first.json<{ run: { id: string } }>();
    const second = await trigger();
    expect(second.statusCode).toBe(200);
    expect(second.json<{ run: { id: string } }>().run.id).toBe(run.id);

    const final = await ctx.gyre.pipelines.waitFor(run.id, 50);
    expect(final.status).toBe('succeeded');
    const detail = await app.inject({ method: 'GET', url: `/api/v1/pipeline-runs/${run.id}` });
    expect(detail.json<{ steps: { step: string }[] }>().steps.map((s) => s.step)).toEqual([
      'greet',
      'after',
    ]);
    const logs = await app.inject({
      method: 'GET',
      url: `/api/v1/pipeline-runs/${run.id}/steps/greet/logs?follow=true`,
    });
    expect(logs.headers['content-type']).toContain('text/plain');
    expect(logs.body).toContain('hello gyre');
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/pipeline-runs?pipeline=hello&status=succeeded',
    });
    expect(list.json<{ runs: unknown[] }>().runs).toHaveLength(1);
  });

  it('answers bad input with 4xx naming the field, never 5xx', async () => {
    const cases = [
      { method: 'GET' as const, url: '/api/v1/pipeline-runs/not-a-run', status: 400 },
      { method: 'GET' as const, url: `/api/v1/pipeline-runs/${'0'.repeat(32)}`, status: 404 },
      { method: 'GET' as const, url: '/api/v1/pipeline-runs?status=bogus', status: 400 },
      { method: 'GET' as const, url: '/api/v1/pipeline-runs?pageToken=%%%', status: 400 },
      { method: 'POST' as const, url: '/api/v1/pipelines/nope/trigger', payload: {}, status: 404 },
      {
        method: 'POST' as const,
        url: '/api/v1/pipelines',
        payload: { yaml: 'name: [' },
        status: 400,
      },
      {
        method: 'POST' as const,
        url: '/api/v1/pipelines',
        payload: { spec: { name: 'x', steps: {} } },
        status: 400,
      },
    ];
    for (const c of cases) {
      const response = await app.inject({ method: c.method, url: c.url, payload: c.payload });
      expect([c.url, response.statusCode]).toEqual([c.url, c.status]);
    }
    await ctx.gyre.pipelines.register({ yaml: YAML });
    const badParam = await app.inject({
      method: 'POST',
      url: '/api/v1/pipelines/hello/trigger',
      payload: { params: { nope: 1 } },
    });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json<{ error: { details: { field: string } } }>().error.details.field).toBe(
      'params.nope',
    );
  });

  it('never answers 5xx to mangled definitions and triggers', async () => {
    const values: unknown[] = [
      null,
      0,
      -1,
      1e308,
      '',
      'x',
      '${{',
      '${{ }}',
      '${{ params. }}',
      [],
      {},
      [1, 'a'],
      { a: { b: [] } },
      true,
    ];
    let seed = 7;
    const pick = <T>(xs: T[]): T => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length];
    const keys = [
      'name',
      'steps',
      'params',
      'triggers',
      'needs',
      'uses',
      'run',
      'with',
      'if',
      'retries',
      'timeout',
      'outputs',
      'schedule',
      'dataset',
    ];
    const mangle = (depth: number): unknown =>
      depth === 0
        ? pick(values)
        : Object.fromEntries(Array.from({ length: 3 }, () => [pick(keys), mangle(depth - 1)]));
    for (let i = 0; i < 60; i++) {
      const spec = {
        name: pick(['ok', 'bad name', 'x']),
        steps: { a: mangle(2), b: { run: pick(values), needs: pick(values) } },
        ...(i % 2 ? { triggers: [mangle(1)] } : {}),
      };
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/pipelines',
        payload: { spec },
      });
      expect([JSON.stringify(spec), response.statusCode < 500]).toEqual([
        JSON.stringify(spec),
        true,
      ]);
      const trigger = await app.inject({
        method: 'POST',
        url: `/api/v1/pipelines/${pick(['ok', 'x', '%00'])}/trigger`,
        payload: { params: mangle(1), ...(i % 3 ? {} : { idempotencyKey: 'a\u0000b' }) },
      });
      expect(trigger.statusCode).toBeLessThan(500);
    }
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/pipelines',
        '/api/v1/pipelines/{name}/trigger',
        '/api/v1/pipeline-runs/{id}/steps/{step}/logs',
      ]),
    );
  });
});
