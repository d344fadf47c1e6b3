import { createReadStream, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  HOUSING_CSV,
  REPO_ROOT,
  scratchDirectory,
  type ScratchDirectory,
} from '../../data/test-data.js';
import { describeEachGyre } from '../../test-gyre.js';
import { buildApp } from '../app.js';

describeEachGyre(
  'data API',
  (ctx) => {
    let f: ScratchDirectory;
    let app: FastifyInstance;
    beforeEach(async () => {
      f = scratchDirectory();
      app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
    });
    afterEach(async () => {
      await app.close();
      f.cleanup();
    });

    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });

    it('ingests, lists, shows, profiles, exports and diffs versions', async () => {
      const created = await post('/api/v1/datasets/housing/versions', {
        source: HOUSING_CSV,
        tags: { a: 'b' },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        created: true,
        version: { datasetName: 'housing', version: 1, rowCount: 20640, createdBy: 'api' },
      });
      const again = await post('/api/v1/datasets/housing/versions', { source: HOUSING_CSV });
      expect(again.statusCode).toBe(200);
      expect(again.json().created).toBe(false);

      expect((await app.inject('/api/v1/datasets')).json()).toMatchObject({
        datasets: [{ name: 'housing', latestVersion: 1 }],
      });
      expect((await app.inject('/api/v1/datasets/housing/versions')).json().versions).toHaveLength(
        1,
      );
      expect((await app.inject('/api/v1/datasets/housing/versions/latest')).json()).toMatchObject({
        version: 1,
      });
      const profile = (await app.inject('/api/v1/datasets/housing/versions/1/profile')).json();
      expect(
        profile.columns.find((c: { name: string }) => c.name === 'total_bedrooms'),
      ).toMatchObject({ nulls: 207 });

      const small = f.write('small.csv', 'longitude,latitude\n-122.2,37.8\n-118.3,34.1\n');
      await post('/api/v1/datasets/housing/versions', { source: small });
      const csv = await app.inject('/api/v1/datasets/housing/versions/2/content?format=csv');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toBe('longitude,latitude\n-122.2,37.8\n-118.3,34.1\n');
      const diff = (await app.inject('/api/v1/datasets/housing/diff?from=1&to=2')).json();
      expect(diff.schema.removed.map((c: { name: string }) => c.name)).toContain('ocean_proximity');
    });

    it('answers bad input with 4xx naming the problem, never 500', async () => {
      const ragged = f.write('ragged.csv', 'a,b\n1,2\n3\n');
      const res = await post('/api/v1/datasets/r/versions', { source: ragged });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/ragged\.csv line 3: expected 2 fields/);
      const missing = join(tmpdir(), 'gyre-no-such-file.csv');
      expect((await post('/api/v1/datasets/r/versions', { source: missing })).statusCode).toBe(404);
      expect(
        (await post('/api/v1/datasets/r/versions', { source: ragged, colour: 1 })).statusCode,
      ).toBe(400);
      expect((await app.inject('/api/v1/datasets/r/versions/1')).json().error).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await app.inject('/api/v1/datasets/r/versions/zero')).statusCode).toBe(400);
      expect((await app.inject('/api/v1/lineage/planet/x')).statusCode).toBe(400);
      const suite = await post('/api/v1/datasets/r/versions', {
        source: HOUSING_CSV,
        suite: 'expectations:\n  - expect: frobnicate\n',
      });
      expect(suite.statusCode).toBe(400);
      expect(suite.json().error.message).toBe(
        'body.suite line 2: expectations[0].expect: unknown expectation "frobnicate" (known: exists, type, not_null, max_null_fraction, range, allowed_values, regex, unique, row_count, mean, sql)',
      );
      const failing = await post('/api/v1/datasets/r/versions', {
        source: HOUSING_CSV,
        suite: 'expectations:\n  - expect: not_null\n    column: total_bedrooms\n',
      });
      expect(failing.statusCode).toBe(412);
      expect(failing.json().error.details.report).toMatchObject({ passed: false });
      expect((await app.inject('/api/v1/datasets')).json().datasets).toEqual([]);
    });

    it('validates, transforms, reports events and lineage', async () => {
      await post('/api/v1/datasets/housing/versions', { source: HOUSING_CSV });
      const report = await post('/api/v1/datasets/housing/versions/1/validations', {
        suite: 'expectations:\n  - expect: row_count\n    min: 1\n',
        suiteName: 'basic',
      });
      expect(report.statusCode).toBe(201);
      expect(report.json()).toMatchObject({ passed: true, suiteName: 'basic' });
      expect((await app.inject(`/api/v1/validation-reports/${report.json().id}`)).json()).toEqual(
        report.json(),
      );
      expect(
        (await app.inject('/api/v1/datasets/housing/versions/1/validations')).json().reports,
      ).toHaveLength(1);

      const t = await post('/api/v1/transforms/sql', {
        name: 'inland',
        sql: "select * from h where ocean_proximity = 'INLAND'",
        inputs: { h: 'housing@1' },
      });
      expect(t.statusCode).toBe(201);
      expect(t.json().version).toMatchObject({ rowCount: 6551 });
      const split = await post('/api/v1/transforms/split', {
        source: 'inland@1',
        by: 'hash',
        column: 'longitude',
      });
      expect(split.statusCode).toBe(201);
      expect(Object.keys(split.json())).toEqual(['train', 'validation', 'test']);

      const lineage = (
        await app.inject('/api/v1/lineage/dataset/inland-test@1?direction=up')
      ).json();
      expect(lineage.nodes.map((n: { id: string }) => n.id)).toEqual(
        expect.arrayContaining(['dataset:inland-test@1', 'dataset:inland@1', 'dataset:housing@1']),
      );

      const events = (
        await app.inject('/api/v1/events?type=dataset.version.created&limit=2')
      ).json();
      expect(events.events.map((e: { subject: string }) => e.subject)).toEqual([
        'dataset:housing@1',
        'dataset:inland@1',
      ]);
      const rest = (await app.inject(`/api/v1/events?after=${events.next}`)).json();
      expect(rest.events).toHaveLength(3);
    });

    it('documents every data route in the OpenAPI document', async () => {
      const doc = (await app.inject('/api/docs/json')).json() as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/datasets/{name}/versions',
          '/api/v1/datasets/{name}/versions/{version}/content',
          '/api/v1/transforms/split',
          '/api/v1/landing-zones/{name}/files',
          '/api/v1/events',
          '/api/v1/lineage/{kind}/{id}',
        ]),
      );
    });

    it('creates landing zones, polls them and lists their files', async () => {
      const dir = join(f.dir, 'landing');
      mkdirSync(dir);
      const zone = await post('/api/v1/landing-zones', {
        name: 'drop',
        uri: dir,
        datasetName: 'drops',
      });
      expect(zone.statusCode).toBe(201);
      expect(
        (await post('/api/v1/landing-zones', { name: 'drop', uri: dir, datasetName: 'drops' }))
          .statusCode,
      ).toBe(409);
      writeFileSync(join(dir, 'a.csv'), 'x\n1\n');
      // A file modified within the settle time may still be being written: it waits. Its
      // modification time is pinned ahead so no delay on a busy machine can let it settle.
      const ahead = new Date(Date.now() + 3_600_000);
      utimesSync(join(dir, 'a.csv'), ahead, ahead);
      expect((await post('/api/v1/landing-zones/drop/poll', {})).json().outcomes).toEqual([]);
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(dir, 'a.csv'), past, past);
      const poll = (await post('/api/v1/landing-zones/drop/poll', {})).json();
      expect(poll.outcomes).toMatchObject([{ path: 'a.csv', status: 'registered' }]);
      expect((await app.inject('/api/v1/landing-zones/drop/files')).json().files).toMatchObject([
        { path: 'a.csv', status: 'registered' },
      ]);
      expect((await app.inject('/api/v1/landing-zones')).json().zones).toHaveLength(1);
    });

    it('reads server files only under allowed roots, saying the same whether they exist', async () => {
      for (const source of ['/etc/passwd', '/etc/no-such-file', 'relative.csv', '../etc/passwd']) {
        const res = await post('/api/v1/datasets/x/versions', { source, format: 'tsv' });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.message).toBe(
          `source ${source} is not under an allowed source root: upload the file (PUT /api/v1/datasets/{name}/versions/upload), use s3:// or artifacts:, or ask an admin to add its directory to data.allowedSourceRoots`,
        );
      }
      // A link inside an allowed root that leads outside it is refused like the file itself.
      const link = join(f.dir, 'passwd.tsv');
      symlinkSync('/etc/passwd', link);
      expect((await post('/api/v1/datasets/x/versions', { source: link })).statusCode).toBe(403);
      const zone = await post('/api/v1/landing-zones', {
        name: 'etc',
        uri: '/etc',
        datasetName: 'x',
      });
      expect(zone.statusCode).toBe(403);
      expect((await app.inject('/api/v1/datasets/x/versions')).json().error.code).toBe('NOT_FOUND');
    });

    it('ingests an uploaded file streamed in the request body', async () => {
      const upload = await app.inject({
        method: 'PUT',
        url: '/api/v1/datasets/housing/versions/upload?fileName=housing.csv',
        headers: { 'content-type': 'text/csv' },
        payload: createReadStream(HOUSING_CSV),
      });
      expect(upload.statusCode).toBe(201);
      expect(upload.json().version).toMatchObject({
        rowCount: 20640,
        source: 'upload:housing.csv',
      });
      const unknown = await app.inject({
        method: 'PUT',
        url: '/api/v1/datasets/housing/versions/upload',
        headers: { 'content-type': 'application/octet-stream' },
        payload: 'a,b\n1,2\n',
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.message).toMatch(/pass \?format=/);
    });
  },
  { env: { GYRE_DATA_ALLOWED_SOURCE_ROOTS: `${join(REPO_ROOT, 'examples/data')},${tmpdir()}` } },
);
