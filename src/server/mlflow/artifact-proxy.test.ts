// The artifact proxy streams to and from whichever ArtifactStore Gyre runs on: S3 (s3rver),
// the cluster shape, with a body far larger than the JSON body limit; and, for the awkward
// names and conflicts below, local disk as well.
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

const STORES = [
  { store: 'local', env: (): Record<string, string> => ({}) },
  { store: 's3', env: () => s3rverEnv(`proxy-names-${randomBytes(4).toString('hex')}`) },
];

describe.each(TEST_DIALECTS.flatMap((dialect) => STORES.map((s) => ({ dialect, ...s }))))(
  'artifact proxy names and conflicts [$dialect, $store]',
  ({ dialect, store: kind, env }) => {
    let test: TestGyre;
    let app: FastifyInstance;
    const base = '/api/2.0/mlflow-artifacts/artifacts/0/run1/artifacts';

    beforeAll(async () => {
      test = await createTestGyre(dialect, { env: env() });
      app = await buildApp(test.gyre, { version: '0.0.0-test' });
    });
    afterAll(async () => {
      await app.close();
      await test.gyre.artifacts.delete('mlflow');
      await test.close();
    });

    const put = (path: string, payload: string) =>
      app.inject({ method: 'PUT', url: `${base}/${path}`, payload });
    const get = (path: string) => app.inject({ method: 'GET', url: `${base}/${path}` });

    it('decodes a path once: %25 is a percent sign, and %2541 stays %41', async () => {
      expect((await put('100%25.txt', 'full')).statusCode).toBe(200);
      expect((await put('x%2541.txt', 'percent-41')).statusCode).toBe(200);
      expect(await test.gyre.artifacts.stat('mlflow/0/run1/artifacts/100%.txt')).toBeDefined();
      expect(await test.gyre.artifacts.stat('mlflow/0/run1/artifacts/x%41.txt')).toBeDefined();
      expect(await test.gyre.artifacts.stat('mlflow/0/run1/artifacts/xA.txt')).toBeUndefined();
      const got = await get('100%25.txt');
      expect(got.statusCode).toBe(200);
      expect(got.body).toBe('full');
      expect((await get('x%2541.txt')).body).toBe('percent-41');
      expect((await get('xA.txt')).statusCode).toBe(404);
      const listed = await app.inject({
        url: '/api/2.0/mlflow-artifacts/artifacts',
        query: { path: '0/run1/artifacts' },
      });
      expect(listed.json().files.map((f: { path: string }) => f.path)).toEqual(
        expect.arrayContaining(['100%.txt', 'x%41.txt']),
      );
      expect((await app.inject({ method: 'DELETE', url: `${base}/100%25.txt` })).statusCode).toBe(
        200,
      );
      expect((await get('100%25.txt')).statusCode).toBe(404);
    });

    it.each([
      [
        '%F0%9F%99%82.txt',
        '🙂.txt',
        `attachment; filename="_.txt"; filename*=UTF-8''%F0%9F%99%82.txt`,
      ],
      [
        'a%0D%0Ab.txt',
        'a\r\nb.txt',
        `attachment; filename="a__b.txt"; filename*=UTF-8''a%0D%0Ab.txt`,
      ],
      [
        'q%22uo%25te.txt',
        'q"uo%te.txt',
        `attachment; filename="q_uo_te.txt"; filename*=UTF-8''q%22uo%25te.txt`,
      ],
    ])('downloads %s with an RFC 6266 content-disposition', async (encoded, name, disposition) => {
      expect((await put(encoded, name)).statusCode).toBe(200);
      const got = await get(encoded);
      expect(got.statusCode).toBe(200);
      expect(got.body).toBe(name);
      expect(got.headers['content-disposition']).toBe(disposition);
    });

    it('answers a conflict with an existing file or directory as a 4xx, never a 5xx', async () => {
      expect((await put('dir/inside.txt', 'in a directory')).statusCode).toBe(200);
      expect((await put('file.txt', 'a file')).statusCode).toBe(200);
      const overDirectory = await put('dir', 'over a directory');
      const underFile = await put('file.txt/child.txt', 'under a file');
      if (kind === 'local') {
        // A directory cannot be replaced by a file on disk, nor a file hold children.
        for (const res of [overDirectory, underFile]) {
          expect(res.statusCode).toBe(400);
          expect(res.json()).toMatchObject({ error_code: 'RESOURCE_ALREADY_EXISTS' });
        }
        expect(overDirectory.json().message).toMatch(/is a directory/);
        expect(underFile.json().message).toMatch(/file\.txt is a file/);
      } else {
        // S3 keys are flat: 'dir' and 'dir/inside.txt' are independent objects.
        expect([overDirectory.statusCode, underFile.statusCode]).toEqual([200, 200]);
      }
      expect((await get('dir/inside.txt')).body).toBe('in a directory');
      expect((await get('file.txt')).body).toBe('a file');
    });
  },
);

describe('storePathOfArtifactUri', () => {
  it('maps both mlflow-artifacts URI forms under the proxy prefix and ignores others', () => {
    expect(storePathOfArtifactUri('mlflow-artifacts:/1/r/artifacts')).toBe('mlflow/1/r/artifacts');
    expect(storePathOfArtifactUri('mlflow-artifacts://gyre:7070/1/r/artifacts')).toBe(
      'mlflow/1/r/artifacts',
    );
    expect(storePathOfArtifactUri('s3://bucket/x')).toBeUndefined();
  });
});
