// The feature store through the REST API and the SDK against a real listening server (SQLite
// and PostgreSQL): apply with a plan, content versions, errors naming the field, search,
// training sets from a dataset version, materialization, online lookups, and incremental
// materialization when a source dataset gets a new version (the events outbox).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { GyreClient } from '../src/sdk/index.js';
import { buildApp } from '../src/server/index.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { REPO_ROOT } from './fixtures/data-files.js';

const DEFINITIONS = join(REPO_ROOT, 'examples/features/definitions');
const NOW = Date.parse('2026-01-10T20:00:00Z');

function exampleDefinitions(): Record<string, unknown>[] {
  return [
    'entities',
    'customer-activity-1h',
    'customer-activity-24h',
    'customer-activity-7d',
    'services',
  ].flatMap((f) =>
    parseAllDocuments(readFileSync(join(DEFINITIONS, `${f}.yaml`), 'utf8')).map(
      (d) => d.toJS() as Record<string, unknown>,
    ),
  );
}

describeEachGyre(
  'feature store REST API and SDK',
  (ctx) => {
    let app: FastifyInstance;
    let client: GyreClient;
    let dir: string;
    beforeEach(async () => {
      app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      client = new GyreClient({ baseUrl: url });
      dir = mkdtempSync(join(tmpdir(), 'gyre-features-api-'));
      await ctx.gyre.data.datasets.ingest({
        source: join(REPO_ROOT, 'examples/features/data/transactions.csv'),
        name: 'transactions',
      });
    });
    afterEach(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('applies definitions with a plan and versions them by content', async () => {
      const definitions = exampleDefinitions();
      const dry = await client.features.apply(definitions, { dryRun: true });
      expect(dry.applied).toBe(false);
      expect(dry.plan.every((p) => p.change === 'added')).toBe(true);
      expect(await client.features.listViews()).toEqual({ views: [] });

      const first = await client.features.apply(definitions);
      expect(first.applied).toBe(true);
      expect(first.plan).toHaveLength(5);
      const again = await client.features.apply(definitions);
      expect(again).toMatchObject({ applied: false });
      expect(again.plan.every((p) => p.change === 'unchanged' && p.version === 1)).toBe(true);

      const changed = definitions.map((d) =>
        d.name === 'customer_activity_1h' ? { ...d, ttl: '2h' } : d,
      );
      const third = await client.features.apply(changed);
      expect(third.plan.find((p) => p.name === 'customer_activity_1h')).toMatchObject({
        change: 'changed',
        version: 2,
      });
      expect(third.plan.filter((p) => p.change === 'unchanged')).toHaveLength(4);
      const versions = await client.http.request<{ versions: { version: number }[] }>(
        'GET',
        '/api/v1/features/definitions/feature_view/customer_activity_1h/versions',
      );
      expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);

      // Search by name, tag, owner, entity and free text.
      const names = async (filter: Record<string, string>) =>
        (await client.features.listViews(filter)).views.map((v) => v.name);
      expect(await names({ tag: 'window=24h' })).toEqual(['customer_activity_24h']);
      expect(await names({ tag: 'domain' })).toHaveLength(3);
      expect(await names({ owner: 'fraud-team', name: '7d' })).toEqual(['customer_activity_7d']);
      expect(await names({ entity: 'merchant' })).toEqual([]);
      expect(await names({ q: 'amount spent in the last 1h' })).toEqual(['customer_activity_1h']);
      const service = await client.features.getService('fraud_v1');
      expect(service.joinKeys).toEqual(['customer_id']);
    });

    it('refuses bad definitions with a 400 naming the definition and field', async () => {
      const bad = (definitions: Record<string, unknown>[]) =>
        client.features.apply(definitions).then(
          () => undefined,
          (e: { code: string; message: string }) => e,
        );
      const ttl = await bad([{ ...exampleDefinitions()[1], ttl: 'soon' }]);
      expect(ttl).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(ttl!.message).toMatch(/customer_activity_1h\.ttl: must be a positive duration/);
      const missing = await bad([
        { kind: 'feature_service', name: 'svc', features: ['no_such_view'] },
      ]);
      expect(missing!.message).toMatch(
        /svc\.features\[0\]: feature view no_such_view is not defined/,
      );
      const unknownKey = await bad([
        { kind: 'entity', name: 'e', joinKeys: ['id'], colour: 'red' },
      ]);
      expect(unknownKey!.message).toMatch(/e\.colour: unknown key "colour"/);
      expect((await client.features.listServices()).services).toEqual([]);
    });

    it('builds training sets, materializes, and serves online values over HTTP', async () => {
      await client.features.apply(exampleDefinitions());
      // Entity rows as a dataset version: three customers at one time.
      const rows = join(dir, 'rows.csv');
      writeFileSync(
        rows,
        'customer_id,event_timestamp,label\nC012,2026-01-10 20:00:00,1\nC001,2026-01-10 20:00:00,0\nC999,2026-01-10 20:00:00,0\n',
      );
      await ctx.gyre.data.datasets.ingest({ source: rows, name: 'rows' });
      const set = await client.features.trainingSet({ service: 'fraud_v1', entities: 'rows@1' });
      expect(set).toMatchObject({
        rows: 3,
        created: true,
        sources: expect.arrayContaining(['transactions@1', 'rows@1']),
      });
      expect(set.columns).toEqual(
        expect.arrayContaining(['customer_id', 'label', 'tx_count_7d', 'amount_1h']),
      );

      const { materializations } = await client.features.materialize({ end: NOW });
      expect(materializations).toHaveLength(3);
      expect(materializations[0]).toMatchObject({
        rows: 60,
        store: 'sql',
        sources: ['transactions@1'],
      });
      const c12 = await client.features.online('fraud_v1', 'C012');
      expect(Object.keys(c12.features)).toEqual([
        'tx_count_1h',
        'amount_1h',
        'tx_count_24h',
        'amount_24h',
        'tx_count_7d',
        'amount_7d',
      ]);
      expect(c12.features.tx_count_7d).toBeGreaterThan(0);
      // The same values the training set holds for C012 at NOW.
      const local = await ctx.gyre.data.datasets.localCopy(
        await ctx.gyre.data.datasets.getVersion(
          `${set.version.datasetName as string}@${set.version.version as number}`,
        ),
      );
      const { withSqlSession, sqlString } = await import('../src/data/index.js');
      const [trained] = await withSqlSession((s) =>
        s.all(`select * from read_parquet(${sqlString(local.path)}) where customer_id = 'C012'`),
      );
      await local.cleanup();
      for (const [k, v] of Object.entries(c12.features)) expect([k, trained[k]]).toEqual([k, v]);

      const unknown = await client.features.online('fraud_v1', 'C999');
      expect(unknown.missing).toBe(6);
      const many = await client.features.onlineMany('fraud_v1', [
        { customer_id: 'C012' },
        { customer_id: 'C999' },
      ]);
      expect(many.rows[0]).toEqual(c12.features);
      await expect(
        client.http.request('GET', '/api/v1/features/online', { query: { service: 'fraud_v1' } }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(client.features.online('nope', 'C012')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });

      // Freshness on /metrics: lag = now − newest event time materialized.
      const promRegistry = new Registry();
      ctx.gyre.registerMetrics(promRegistry);
      const text = await promRegistry.metrics();
      const lag = /gyre_feature_view_lag_seconds\{view="customer_activity_1h"\} (\S+)/.exec(text);
      expect(Number(lag?.[1])).toBeGreaterThan(0);
      expect(Number(lag?.[1])).toBeLessThan(3600);
      expect(text).toMatch(
        /gyre_feature_view_last_materialized_timestamp_seconds\{view="customer_activity_7d"\} \d+/,
      );

      const view = await client.features.getView('customer_activity_1h');
      expect(view).toMatchObject({
        sources: ['transactions@1'],
        services: ['fraud_v1'],
        freshness: { latestEventMs: expect.any(Number), lagMs: expect.any(Number) },
      });
    });

    it('materializes again when a source dataset gets a new version', async () => {
      await client.features.apply(exampleDefinitions());
      const { gyre } = ctx;
      gyre.start();
      // A new version of transactions: one more, later transaction of C001.
      const text = readFileSync(join(REPO_ROOT, 'examples/features/data/transactions.csv'), 'utf8');
      const file = join(dir, 'transactions.csv');
      writeFileSync(file, `${text}C001,2026-01-10 19:59:00.000,1234.5,travel,0\n`);
      await gyre.data.datasets.ingest({ source: file, name: 'transactions' });
      // Synchronise on the consumer's record, never on a sleep.
      const store = gyre.features.registry.store;
      for (;;) {
        const done = await store.materializations('customer_activity_1h');
        if (done.some((m) => m.trigger === 'dataset:transactions@2')) break;
        await new Promise((r) => setImmediate(r));
      }
      const c1 = await client.features.online('fraud_v1', 'C001', { at: NOW });
      expect(c1.features.amount_1h).toBeGreaterThanOrEqual(1234.5);
    });
  },
  { clock: { now: () => NOW } },
);
