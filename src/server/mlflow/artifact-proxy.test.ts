// The artifact proxy streams to and from whichever ArtifactStore Gyre runs on; here S3
// (s3rver), the cluster shape, with a body far larger than the JSON body limit.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../artifacts/index.js';
import { TEST_DIALECTS } from '../../db/test-database.js';
import { createTestGyre, s3rverEnv, type TestGyre } from '../../test-gyre.js';
import { storePathOfArtifactUri } from '../../tracking/index.js';
import { buildApp } from '../app.js';

describe.each(TEST_DIALECTS)('artifact proxy on S3 [%s]', (dialect) => {
  let test: TestGyre;
  let app: FastifyInstance;
  let store: ArtifactStore;
  const prefix = `proxy-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    test = await createTestGyre(dialect, {
      env: { ...s3rverEnv(prefix), GYRE_BODY_LIMIT_BYTES: '1024' },
    });
    store = test.gyre.artifacts;
    app = await buildApp(test.gyre, { version: '0.0.0-test' });
  });
  afterAll(async () => {
    await app.close();
    await store.delete('mlflow');
    await test.close();
  });

  it('uploads, lists, downloads and deletes through the proxy', async () => {
    const body = randomBytes(256 * 1024);
    const url = '/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/model/weights.bin';
    const put = await app.inject({ method: 'PUT', url, payload: body });
    expect(put.statusCode).toBe(200);
    expect((await store.stat('mlflow/0/abc/artifacts/model/weights.bin'))?.size).toBe(body.length);
    const listed = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow-artifacts/artifacts',
      query: { path: '0/abc/artifacts/model' },
    });
    expect(listed.json()).toEqual({
      files: [{ path: 'weights.bin', is_dir: false, file_size: body.length }],
    });
    const got = await app.inject({ method: 'GET', url });
    expect(got.rawPayload.equals(body)).toBe(true);
    expect((await app.inject({ method: 'DELETE', url })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });
});

describe('storePathOfArtifactUri', () => {
  it('maps both mlflow-artifacts URI forms under the proxy prefix and ignores others', () => {
    expect(storePathOfArtifactUri('mlflow-artifacts:/1/r/artifacts')).toBe('mlflow/1/r/artifacts');
    expect(storePathOfArtifactUri('mlflow-artifacts://gyre:7070/1/r/artifacts')).toBe(
      'mlflow/1/r/artifacts',
    );
    expect(storePathOfArtifactUri('s3://bucket/x')).toBeUndefined();
  });
});
