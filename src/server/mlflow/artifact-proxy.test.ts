// The artifact proxy streams to and from whichever ArtifactStore Gyre runs on; here S3
// (s3rver), the cluster shape, with a body far larger than the JSON body limit.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openArtifactStore, type ArtifactStore } from '../../artifacts/index.js';
import { migrateToLatest, openDatabase, type Database } from '../../db/index.js';
import { createTrackingService, storePathOfArtifactUri } from '../../tracking/index.js';
import { buildApp } from '../app.js';

describe('artifact proxy on S3', () => {
  let db: Database;
  let app: FastifyInstance;
  let store: ArtifactStore;
  const prefix = `proxy-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = openDatabase('sqlite::memory:');
    await migrateToLatest(db);
    store = openArtifactStore(`s3://${inject('s3Bucket')}/${prefix}`, {
      s3: {
        region: 'us-east-1',
        endpoint: inject('s3Endpoint'),
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
      },
    });
    app = await buildApp({
      db,
      artifacts: store,
      tracking: createTrackingService(db),
      version: '0.0.0-test',
      bodyLimitBytes: 1024,
    });
  });
  afterAll(async () => {
    await app.close();
    await store.delete('mlflow').catch(() => {});
    await db.close();
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
