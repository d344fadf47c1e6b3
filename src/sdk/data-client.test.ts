import { openAsBlob } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HOUSING_CSV } from '../data/test-data.js';
import { buildApp, listen } from '../server/index.js';
import { describeEachGyre } from '../test-gyre.js';
import { DataClient } from './data-client.js';
import { HttpClient } from './http-client.js';

describeEachGyre('DataClient against a listening server', (ctx) => {
  let app: FastifyInstance;
  let client: DataClient;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: 'test' });
    client = new DataClient(
      new HttpClient({ baseUrl: await listen(app, { host: '127.0.0.1', port: 0 }) }),
    );
  });
  afterEach(() => app.close());

  it('ingests, reads, validates, transforms and follows lineage and events', async () => {
    const { version, created } = await client.upload('housing', await openAsBlob(HOUSING_CSV), {
      format: 'csv',
      fileName: 'housing.csv',
    });
    expect(created).toBe(true);
    expect(version).toMatchObject({ version: 1, source: 'upload:housing.csv' });
    expect((await client.getVersion('housing@1')).rowCount).toBe(20640);
    expect((await client.getVersion('housing')).version).toBe(1);
    expect((await client.listVersions('housing')).versions).toHaveLength(1);
    const csv = await fetch(client.contentUrl('housing@1', 'csv'));
    expect((await csv.text()).split('\n')).toHaveLength(20642);
    const report = await client.validate(
      'housing@1',
      'expectations:\n  - expect: row_count\n    min: 20000\n',
    );
    expect(report.passed).toBe(true);
    const t = await client.transformSql({
      name: 'small',
      sql: 'select * from h limit 10',
      inputs: { h: 'housing@1' },
    });
    expect(t.version.rowCount).toBe(10);
    const graph = await client.lineage('dataset', 'small@1', 'up');
    expect((graph.nodes as { id: string }[]).map((n) => n.id)).toContain('dataset:housing@1');
    const page = await client.events({ limit: 1 });
    expect(page.events).toHaveLength(1);
    expect((await client.events({ after: page.next })).events).toHaveLength(1);
  });

  it("rethrows the server's catalog errors", async () => {
    await expect(client.getVersion('nope@2')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'dataset nope does not exist',
    });
    await expect(client.validate('nope', 'expectations: [')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
