// The SDK against a real listening server (SQLite and PostgreSQL): typed calls in, the same
// catalog errors out.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../server/index.js';
import { describeEachGyre } from '../test-gyre.js';
import { HttpClient } from './http-client.js';
import { RegistryClient } from './registry-client.js';

describeEachGyre('RegistryClient', (ctx) => {
  let app: FastifyInstance;
  let client: RegistryClient;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new RegistryClient(new HttpClient({ baseUrl: url }));
  });
  afterEach(() => app.close());

  it('registers, versions, aliases, searches and deletes through typed calls', async () => {
    await client.createModel({ name: 'sdk model', tags: { team: 'ml' } });
    await client.createVersion('sdk model', { source: 's3://b/1', tags: { k: 'v' } });
    const v2 = await client.createVersion('sdk model', { source: 's3://b/2' });
    expect(v2).toMatchObject({ name: 'sdk model', version: 2, status: 'READY' });
    await client.setAlias('sdk model', 'champion', 1);
    expect((await client.getAlias('sdk model', 'champion')).version).toBe(1);
    await client.updateVersion('sdk model', 2, { stage: 'Production' });
    expect((await client.getModel('sdk model')).latestVersions.map((v) => v.stage)).toEqual([
      'None',
      'Production',
    ]);
    const page = await client.listVersions('sdk model', {
      maxResults: 1,
      orderBy: ['version_number ASC'],
    });
    expect(page.versions.map((v) => v.version)).toEqual([1]);
    const next = await client.listVersions('sdk model', {
      maxResults: 1,
      orderBy: ['version_number ASC'],
      pageToken: page.nextPageToken,
    });
    expect(next.versions.map((v) => v.version)).toEqual([2]);
    expect((await client.searchModels({ filter: "tags.team = 'ml'" })).models).toHaveLength(1);
    expect((await client.resolveModelUri('models:/sdk model@champion')).artifactUri).toBe(
      's3://b/1',
    );
    await client.deleteAlias('sdk model', 'champion');
    await client.deleteVersion('sdk model', 1);
    await client.deleteModel('sdk model');
    await expect(client.getModel('sdk model')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rethrows the server’s catalog errors', async () => {
    await client.createModel({ name: 'dup' });
    await expect(client.createModel({ name: 'dup' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(client.setAlias('dup', 'latest', 1)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
