// PII on SQLite and PostgreSQL: a customer table with planted emails, phone numbers and
// Luhn-valid card numbers is scanned (by column name and sampled content, reporting counts
// only), the findings are confirmed as tags, and a model trained on a split derived from it —
// with the email and card number among its inputs — is served by two deployments: one under
// the global policy (keyed HMAC), one configured to drop PII. Reading the Parquet prediction
// log back, no planted email or card number appears in clear, the hashed columns hold keyed
// hashes, the dropped ones are gone, and the other inputs are logged as they were.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sqlString, withSqlSession } from '../src/data/duckdb/index.js';
import { createInferenceApp } from '../src/server/inference/inference-app.js';
import { createInferenceHandler } from '../src/server/inference/inference-handler.js';
import { createInferenceStack } from '../src/server/inference/inference-stack.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { customerRows, writeCustomerCsv } from './fixtures/governance-data.js';
import type { AddressInfo } from 'node:net';

const KEY = 'a-test-key-of-at-least-16-chars';
// Few enough rows that every email fits the GBDT's categorical codes (at most 254).
const rows = customerRows(240, 10);
const FEATURES = ['customer_email', 'card_number', 'income', 'age', 'region'];

const pipeline = {
  name: 'customer-prices',
  params: { data: { type: 'file' } },
  steps: {
    ingest: { uses: 'data/ingest', with: { source: '${{ params.data }}', name: 'customers' } },
    split: {
      needs: 'ingest',
      uses: 'data/split',
      with: { dataset: '${{ steps.ingest.outputs.dataset }}' },
    },
    train: {
      needs: 'split',
      uses: 'ml/train',
      with: {
        train: '${{ steps.split.outputs.train }}',
        target: 'price',
        features: FEATURES,
        params: { numRounds: 5, maxDepth: 3 },
      },
    },
    register: {
      needs: 'train',
      uses: 'registry/register',
      with: { model: '${{ steps.train.outputs.model }}', name: 'customer-prices' },
    },
  },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gyre-privacy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describeEachGyre(
  'PII in the prediction log',
  (ctx) => {
    it('never writes planted emails or card numbers in clear', async () => {
      const { gyre } = ctx;
      await gyre.pipelines.register({ spec: pipeline });
      const done = await (
        await gyre.pipelines.startRun({
          pipeline: 'customer-prices',
          params: { data: writeCustomerCsv(dir, rows) },
        })
      ).done;
      const steps = (await gyre.pipelines.getRun(done.id)).steps;
      expect(steps.filter((s) => s.error).map((s) => `${s.step}: ${s.error}`)).toEqual([]);

      // The scan finds the planted columns by content and says how many samples matched.
      const report = await gyre.data.pii.scan('customers', 200);
      const finding = (c: string) => report.columns.find((x) => x.column === c)!;
      expect(finding('customer_email')).toMatchObject({
        byName: 'email',
        byContent: { kind: 'email', matches: 200, sampled: 200 },
        suggested: 'email',
      });
      expect(finding('card_number')).toMatchObject({
        byContent: { kind: 'card_number', fraction: 1 },
      });
      expect(finding('phone')).toMatchObject({ suggested: 'phone' });
      expect(finding('income').suggested).toBeUndefined();
      expect(finding('region').suggested).toBeUndefined();
      expect(JSON.stringify(report)).not.toContain('@example.com');
      expect(await gyre.data.pii.confirm(report, 'alice')).toEqual({
        customer_email: 'email',
        phone: 'phone',
        card_number: 'card_number',
      });

      // Profiles keep counts of personal columns but no values.
      const profile = await gyre.data.datasets.getProfile('customers');
      const card = profile.columns.find((c) => c.name === 'card_number')!;
      expect(card).not.toHaveProperty('min');
      expect(card).not.toHaveProperty('quantiles');
      const profileText = JSON.stringify(profile);
      for (const r of rows) {
        expect(profileText).not.toContain(r.customer_email);
        expect(profileText).not.toContain(r.card_number);
      }

      for (const name of ['prices', 'prices-dropped'])
        await gyre.serving.deployments.deploy({ name, model: 'customer-prices/1' });
      const stack = createInferenceStack(gyre);
      await stack.start();
      const handler = createInferenceHandler({
        server: stack.server,
        version: '0.0.0-test',
        bodyLimitBytes: 1 << 20,
        logger: gyre.logger,
        metrics: async () => ({ contentType: 'text/plain', text: '' }),
      });
      const http = createInferenceApp(handler);
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const sent = rows.slice(0, 50);
      try {
        for (const deployment of ['prices', 'prices-dropped']) {
          const res = await fetch(`${url}/invocations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-gyre-deployment': deployment },
            body: JSON.stringify({
              dataframe_records: sent.map((r) => ({ ...r, card_number: Number(r.card_number) })),
            }),
          });
          expect(res.status).toBe(200);
        }
      } finally {
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        await stack.stop();
      }
      expect(stack.log?.totals.written).toBe(100);

      const files = `${join(ctx.home, 'artifacts', 'prediction-logs')}/deployment=*/**/*.parquet`;
      const logged = await withSqlSession(async (s) => {
        const raw = await s.all(
          `select * from read_parquet(${sqlString(files)}, hive_partitioning = true, union_by_name = true)`,
        );
        return raw;
      });
      expect(logged).toHaveLength(100);
      const text = JSON.stringify(logged);
      for (const r of sent) {
        expect(text).not.toContain(r.customer_email);
        expect(text).not.toContain(r.card_number);
      }
      const hashed = logged.filter((r) => r.deployment === 'prices');
      const expected = (v: string) =>
        `hmac:${createHmac('sha256', KEY).update(v).digest('hex').slice(0, 32)}`;
      expect(new Set(hashed.map((r) => r.feature_customer_email))).toEqual(
        new Set(sent.map((r) => expected(r.customer_email))),
      );
      expect(hashed.every((r) => String(r.feature_card_number).startsWith('hmac:'))).toBe(true);
      expect(hashed.map((r) => r.feature_income).sort()).toEqual(sent.map((r) => r.income).sort());
      const dropped = logged.filter((r) => r.deployment === 'prices-dropped');
      expect(dropped.every((r) => r.feature_customer_email === null)).toBe(true);
      expect(dropped.every((r) => r.feature_card_number === null)).toBe(true);
      expect(dropped.every((r) => typeof r.feature_region === 'string')).toBe(true);
    });
  },
  { env: { GYRE_PII_HASH_KEY: KEY, GYRE_PII_DEPLOYMENT_POLICIES: 'prices-dropped=drop' } },
);
