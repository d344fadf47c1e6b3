// Deployments through the REST API and the SDK against a real listening server (SQLite and
// PostgreSQL): deploy, canary, promote, rollback, history with who and why, catalog errors.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../server/index.js';
import { registerModel, trainHousingGbdt } from '../serving/test-models.js';
import { describeEachGyre } from '../test-gyre.js';
import { DeploymentsClient } from './deployments-client.js';
import { HttpClient } from './http-client.js';

const model = trainHousingGbdt({ rounds: 3, rows: 500 });

describeEachGyre('DeploymentsClient and /api/v1/deployments', (ctx) => {
  let app: FastifyInstance;
  let client: DeploymentsClient;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new DeploymentsClient(new HttpClient({ baseUrl: url }));
    for (let i = 0; i < 2; i++) await registerModel(ctx.gyre, 'housing', model);
  });
  afterEach(() => app.close());

  it('deploys, adds a canary, promotes and rolls back, keeping who and why', async () => {
    const first = await client.deploy('housing', {
      model: 'housing/1',
      createdBy: 'ana',
      reason: 'v1',
    });
    expect(first.current).toMatchObject({
      revision: 1,
      createdBy: 'ana',
      reason: 'v1',
      routes: [{ version: 1 }],
    });
    const canary = await client.deploy('housing', { model: 'housing/2', canary: 20 });
    expect(canary.current.spec.mode).toBe('canary');
    expect(canary.current.createdBy).toBe('api');
    expect((await client.promote('housing', { reason: 'good' })).current).toMatchObject({
      action: 'promote',
      routes: [{ version: 2, role: 'primary' }],
    });
    expect((await client.rollback('housing', { toRevision: 1 })).current).toMatchObject({
      revision: 4,
      action: 'rollback',
      routes: [{ version: 1 }],
    });
    expect((await client.history('housing')).map((r) => r.action)).toEqual([
      'rollback',
      'promote',
      'deploy',
      'deploy',
    ]);
    expect((await client.list()).map((d) => d.name)).toEqual(['housing']);
    expect((await client.get('housing')).current.revision).toBe(4);
    await client.delete('housing');
    expect(await client.list()).toEqual([]);
  });

  it('answers bad requests with catalog errors naming the problem', async () => {
    await expect(client.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.deploy('x', { model: 'housing/1', canary: 10 })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await expect(client.deploy('x', { model: 'housing/1', canary: 150 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('canary'),
    });
    await expect(client.deploy('x', { model: 'missing/1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await client.deploy('x', { model: 'housing/1' });
    await expect(client.promote('x')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(client.rollback('x')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    const docs = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(Object.keys((docs.json() as { paths: object }).paths)).toContain(
      '/api/v1/deployments/{name}/promote',
    );
  });
});
