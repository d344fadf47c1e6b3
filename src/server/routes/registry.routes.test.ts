// Gyre's own registry API, in process, wired by the composition root: the registry reads
// runs through the real tracking service, so lineage and run outputs are end to end.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ArtifactStore } from '../../artifacts/index.js';
import { describeEachGyre } from '../../test-gyre.js';
import type { TrackingService } from '../../tracking/index.js';
import { buildApp } from '../app.js';

describeEachGyre('registry API /api/v1', (ctx) => {
  let artifacts: ArtifactStore;
  let tracking: TrackingService;
  let app: FastifyInstance;
  beforeEach(async () => {
    ({ artifacts, tracking } = ctx.gyre);
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
  });
  afterEach(() => app.close());

  const send = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, payload });

  it('registers a version from a tracked run with its lineage and MLmodel', async () => {
    const run = await tracking.runs.create({ experimentId: '0' });
    const runId = run.info.runId;
    await tracking.runs.logBatch(runId, {
      metrics: [
        { key: 'rmse', value: 0.7, timestamp: 1, step: 0 },
        { key: 'rmse', value: 0.4, timestamp: 2, step: 1 },
        { key: 'nan', value: NaN, timestamp: 2, step: 1 },
      ],
    });
    await tracking.runs.logInputs(runId, [
      {
        name: 'housing',
        digest: 'd1',
        sourceType: 'local',
        source: '{}',
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ]);
    await artifacts.put(
      `mlflow/0/${runId}/artifacts/model/MLmodel`,
      'flavors:\n  sklearn: {pickled_model: model.pkl}\n',
    );
    expect(
      (await send('POST', '/api/v1/models', { name: 'house', tags: { a: 'b' } })).statusCode,
    ).toBe(201);
    const created = await send('POST', '/api/v1/models/house/versions', {
      source: `runs:/${runId}/model`,
      runId,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'house',
      version: 1,
      stage: 'None',
      status: 'READY',
      metadata: { flavors: { sklearn: { pickled_model: 'model.pkl' } } },
      lineage: {
        runId,
        datasets: [{ name: 'housing', digest: 'd1', context: 'training' }],
      },
    });
    const metrics = created.json().lineage.metrics;
    expect(metrics).toEqual(
      expect.arrayContaining([
        { key: 'rmse', value: 0.4, step: 1, timestamp: 2 },
        { key: 'nan', value: 'NaN', step: 1, timestamp: 2 },
      ]),
    );
    const outputs = (await tracking.runs.get(runId)).outputs;
    expect(outputs).toMatchObject([{ kind: 'model_version', name: 'house', version: 1 }]);
  });

  it('serves models, versions, tags, stages and aliases as resources', async () => {
    await send('POST', '/api/v1/models', { name: 'm', description: 'first' });
    for (const n of [1, 2])
      await send('POST', '/api/v1/models/m/versions', { source: `s3://b/${n}` });
    expect((await send('PUT', '/api/v1/models/m/tags/team', { value: 'risk' })).statusCode).toBe(
      204,
    );
    const staged = await send('PATCH', '/api/v1/models/m/versions/2', {
      stage: 'production',
      description: 'best',
    });
    expect(staged.json()).toMatchObject({ version: 2, stage: 'Production', description: 'best' });
    const alias = await send('PUT', '/api/v1/models/m/aliases/champion', { version: 2 });
    expect(alias.json()).toMatchObject({ version: 2, aliases: ['champion'] });
    const model = (await app.inject('/api/v1/models/m')).json();
    expect(model).toMatchObject({
      name: 'm',
      description: 'first',
      tags: { team: 'risk' },
      aliases: [{ alias: 'champion', version: 2 }],
    });
    expect(model.latestVersions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const versions = (await app.inject('/api/v1/models/m/versions')).json();
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const list = (await app.inject('/api/v1/models?filter=tags.team%20%3D%20%27risk%27')).json();
    expect(list.models.map((m: { name: string }) => m.name)).toEqual(['m']);
    const renamed = await send('PATCH', '/api/v1/models/m', { name: 'm2' });
    expect(renamed.json().name).toBe('m2');
    const resolved = await app.inject('/api/v1/model-uris/resolve?uri=models:/m2@champion');
    expect(resolved.json()).toMatchObject({
      artifactUri: 's3://b/2',
      modelVersion: { version: 2 },
    });
    expect((await send('DELETE', '/api/v1/models/m2/aliases/champion')).statusCode).toBe(204);
    expect((await send('DELETE', '/api/v1/models/m2/versions/1')).statusCode).toBe(204);
    expect((await send('DELETE', '/api/v1/models/m2')).statusCode).toBe(204);
    expect((await app.inject('/api/v1/models/m2')).statusCode).toBe(404);
  });

  it("answers bad input with Gyre's error body, never a 500", async () => {
    const dup = await send('POST', '/api/v1/models', { name: 'd' });
    expect(dup.statusCode).toBe(201);
    const again = await send('POST', '/api/v1/models', { name: 'd' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'ALREADY_EXISTS']);
    const noName = await send('POST', '/api/v1/models', {});
    expect([noName.statusCode, noName.json().error.code]).toEqual([400, 'INVALID_ARGUMENT']);
    const badVersion = await app.inject('/api/v1/models/d/versions/abc');
    expect([badVersion.statusCode, badVersion.json().error.code]).toEqual([
      400,
      'INVALID_ARGUMENT',
    ]);
    const badFilter = await app.inject('/api/v1/models?filter=name%20%3D');
    expect(badFilter.statusCode).toBe(400);
    const badUri = await app.inject('/api/v1/model-uris/resolve?uri=models:/d/Gold');
    expect(badUri.statusCode).toBe(400);
    const noVersion = await send('POST', '/api/v1/models/d/versions', {});
    expect(noVersion.statusCode).toBe(400);
  });

  it('documents the registry routes in OpenAPI', async () => {
    const doc = (await app.inject('/api/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/models',
        '/api/v1/models/{name}',
        '/api/v1/models/{name}/versions/{version}',
        '/api/v1/models/{name}/aliases/{alias}',
        '/api/v1/model-uris/resolve',
      ]),
    );
  });
});
