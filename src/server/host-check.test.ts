// DNS rebinding: a page on attacker.example whose name later resolves to 127.0.0.1 can make a
// browser send requests to a loopback-bound Gyre, with `Host: attacker.example`. A server bound
// to loopback answers only requests that name it by a loopback name (or a configured one).
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestGyre, type TestGyre } from '../test-gyre.js';
import { buildApp } from './app.js';

describe('the Host header', () => {
  let test: TestGyre | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await test?.close();
  });

  const serve = async (env: Record<string, string> = {}) => {
    test = await createTestGyre('sqlite', { env });
    app = await buildApp(test.gyre, { version: '0.0.0-test' });
    return app;
  };
  const statusWith = async (server: FastifyInstance, host: string, url = '/healthz') =>
    (await server.inject({ url, headers: { host } })).statusCode;

  it.each([
    'localhost',
    'localhost:7070',
    '127.0.0.1',
    '127.0.0.1:53124',
    '[::1]',
    '[::1]:7070',
    'LocalHost:1',
    'localhost.',
  ])('accepts the loopback name %j while bound to loopback', async (host) => {
    expect(await statusWith(await serve(), host)).toBe(200);
  });

  it.each([
    'attacker.example',
    'attacker.example:7070',
    '127.0.0.1.nip.io',
    'localhost.attacker.example',
    '[::2]',
    '0.0.0.0',
  ])(
    "refuses %j while bound to loopback, with Gyre's error body and a request id",
    async (host) => {
      const res = await (await serve()).inject({ url: '/api/v1/experiments', headers: { host } });
      expect(res.statusCode).toBe(403);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
      expect(res.json().error).toMatchObject({
        code: 'PERMISSION_DENIED',
        details: { field: 'host' },
      });
      expect(res.json().error.message).toMatch(/server\.allowedHosts/);
    },
  );

  it('refuses a foreign Host on the MLflow API in MLflow terms, before the endpoint runs', async () => {
    const server = await serve();
    const res = await server.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/experiments/create',
      headers: { host: 'attacker.example' },
      payload: { name: 'planted' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    expect((await test!.gyre.tracking.experiments.list()).map((e) => e.name)).not.toContain(
      'planted',
    );
    const upload = await server.inject({
      method: 'PUT',
      url: '/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/x.txt',
      headers: { host: 'attacker.example' },
      payload: 'x',
    });
    expect(upload.statusCode).toBe(403);
    expect(await test!.gyre.artifacts.stat('mlflow/0/r/artifacts/x.txt')).toBeUndefined();
  });

  it('accepts the names listed in server.allowedHosts as well', async () => {
    const server = await serve({ GYRE_ALLOWED_HOSTS: 'gyre.internal, ML.example.com' });
    expect(await statusWith(server, 'gyre.internal:7070')).toBe(200);
    expect(await statusWith(server, 'ml.example.com')).toBe(200);
    expect(await statusWith(server, 'localhost')).toBe(200);
    expect(await statusWith(server, 'attacker.example')).toBe(403);
  });

  it('accepts any Host with allowedHosts "*"', async () => {
    expect(await statusWith(await serve({ GYRE_ALLOWED_HOSTS: '*' }), 'anything.example')).toBe(
      200,
    );
  });

  it('checks nothing when bound beyond loopback and no names are configured', async () => {
    expect(await statusWith(await serve({ GYRE_HOST: '0.0.0.0' }), 'gyre.example.com')).toBe(200);
  });

  it('checks the configured names when bound beyond loopback and some are configured', async () => {
    const server = await serve({ GYRE_HOST: '0.0.0.0', GYRE_ALLOWED_HOSTS: 'gyre.example.com' });
    expect(await statusWith(server, 'gyre.example.com:443')).toBe(200);
    expect(await statusWith(server, 'attacker.example')).toBe(403);
  });
});
