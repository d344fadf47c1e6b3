// Serving enrichment end to end, on the card-transactions example: a deployment that names a
// feature service answers a request carrying only a customer id, from features read out of
// the online store; the answer equals the one for the same features sent in full; a customer
// without features still gets a prediction (the trees' missing-value handling) and the
// missing features are counted; the prediction log records the feature values used.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sqlString, withSqlSession } from '../src/data/index.js';
import { readDefinitionsDir } from '../src/features/index.js';
import { ServableModel, fitPreprocessor, trainGbdt } from '../src/ml/index.js';
import { createInferenceApp } from '../src/server/inference/inference-app.js';
import { createInferenceHandler } from '../src/server/inference/inference-handler.js';
import { createInferenceStack } from '../src/server/inference/inference-stack.js';
import { registerModel } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { REPO_ROOT } from './fixtures/data-files.js';

const EXAMPLE = join(REPO_ROOT, 'examples/features');
const FEATURES = [
  'tx_count_1h',
  'amount_1h',
  'tx_count_24h',
  'amount_24h',
  'tx_count_7d',
  'amount_7d',
];
// The example's data spans 2026-01-01 .. 2026-01-15; "now" is an evening in its second week.
const NOW = Date.parse('2026-01-10T20:00:00Z');

describeEachGyre(
  'serving enrichment from the feature store',
  (ctx) => {
    it('answers a request with only a customer id from the online features', async () => {
      const { gyre } = ctx;
      await gyre.data.datasets.ingest({
        source: join(EXAMPLE, 'data/transactions.csv'),
        name: 'transactions',
      });
      const located = await readDefinitionsDir(join(EXAMPLE, 'definitions'));
      await gyre.features.registry.apply(located.map((l) => l.definition));

      // Train on a point-in-time training set of the labelled transactions.
      const training = await gyre.features.trainingSets.build({
        service: 'fraud_v1',
        entities: { path: join(EXAMPLE, 'data/labels.csv') },
        dropKeys: true,
      });
      const local = await gyre.data.datasets.localCopy(training.version);
      const rows = await withSqlSession((s) =>
        s.all(`select * from read_parquet(${sqlString(local.path)})`),
      );
      await local.cleanup();
      const columns = FEATURES.map((name) => ({
        name,
        values: rows.map((r) => r[name] as number | null),
      }));
      const pre = fitPreprocessor(columns, { impute: 'none' });
      const gbdt = trainGbdt({
        x: pre.transformColumns(columns.map((c) => c.values)),
        y: Float64Array.from(rows.map((r) => Number(r.is_fraud))),
        features: pre.outputFeatures,
        params: { numRounds: 10, maxDepth: 3, seed: 1, objective: 'binary_logloss' },
      });
      await registerModel(gyre, 'fraud', new ServableModel(gbdt, pre));
      await gyre.serving.deployments.deploy({
        name: 'fraud',
        model: 'fraud/1',
        featureService: 'fraud_v1',
      });
      await gyre.features.materializer.materialize({ endMs: NOW });

      const stack = createInferenceStack(gyre);
      await stack.start();
      const handler = createInferenceHandler({
        server: stack.server,
        version: '0.0.0-test',
        bodyLimitBytes: 1 << 20,
        logger: gyre.logger,
        metrics: async () => ({ contentType: 'text/plain', text: await stack.registry.metrics() }),
      });
      const http = createInferenceApp(handler);
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const invoke = async (records: Record<string, unknown>[]) => {
        const res = await fetch(`${url}/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ dataframe_records: records }),
        });
        return { status: res.status, body: (await res.json()) as { predictions: number[] } };
      };
      try {
        // A customer active in the last hour before NOW: every feature has a fresh value.
        const recent = await withSqlSession((s) =>
          s.all(
            `select customer_id from read_csv_auto(${sqlString(join(EXAMPLE, 'data/transactions.csv'))})
             where ts <= to_timestamp(${NOW / 1000})::timestamp and ts > to_timestamp(${(NOW - 3_600_000) / 1000})::timestamp
             order by ts desc limit 1`,
          ),
        );
        const customer = String(recent[0].customer_id);
        const online = await gyre.features.online.get('fraud_v1', [{ customer_id: customer }]);
        expect(online.missing).toBe(0);
        const features = online.rows[0];

        const enriched = await invoke([{ customer_id: customer }]);
        expect(enriched.status).toBe(200);
        const full = await invoke([{ customer_id: customer, ...features }]);
        expect(full.status).toBe(200);
        expect(enriched.body.predictions).toEqual(full.body.predictions);
        // The features matter: other values give another answer.
        const other = await invoke([
          { customer_id: customer, ...features, tx_count_1h: 9, amount_1h: 5 },
        ]);
        expect(other.body.predictions).not.toEqual(enriched.body.predictions);

        // No features for this customer: a prediction all the same, the misses counted.
        const unknown = await invoke([{ customer_id: 'C999' }]);
        expect(unknown.status).toBe(200);
        expect(unknown.body.predictions).toHaveLength(1);
        const metrics = await stack.registry.metrics();
        expect(metrics).toMatch(/gyre_feature_enrichment_missing_total\{deployment="fraud"\} 6\b/);

        // A request without the join key says which column is missing.
        const bad = await invoke([{ amount_1h: 3 }]);
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.body)).toMatch(/customer_id/);

        // The prediction log holds the feature values the model used.
        await stack.stop();
        const files = (
          await gyre.artifacts.list('prediction-logs/deployment=fraud', { recursive: true })
        )
          .map((e) => e.path)
          .filter((p) => p.endsWith('.parquet'));
        expect(files.length).toBeGreaterThan(0);
        const logged = [];
        for (const file of files) {
          const stream = await gyre.artifacts.get(file);
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          const tmp = join(ctx.home, `log-${logged.length}.parquet`);
          const { writeFileSync } = await import('node:fs');
          writeFileSync(tmp, Buffer.concat(chunks));
          logged.push(
            ...(await withSqlSession((s) =>
              s.all(`select * from read_parquet(${sqlString(tmp)}) order by ts`),
            )),
          );
        }
        const first = logged.find((r) => r.feature_amount_7d !== null);
        expect(first).toMatchObject({ feature_amount_7d: features.amount_7d });
        expect(logged.some((r) => r.feature_amount_7d === null)).toBe(true);
      } finally {
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        await stack.stop().catch(() => {});
      }
    });
  },
  { clock: { now: () => NOW }, env: { GYRE_PREDICTION_LOG_FLUSH_MS: '60000' } },
);
