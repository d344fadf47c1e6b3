// Costs on SQLite and PostgreSQL: pipelines of two teams run (one untagged), a deployment
// answers predictions, and the cost report — by team over the SDK, by pipeline in process —
// adds up exactly to the resource use the runs recorded (CPU seconds, wall time, peak memory)
// priced by the rate card, with the deployment's serving CPU from the prediction log's usage.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GyreClient } from '../src/sdk/index.js';
import { createInferenceApp } from '../src/server/inference/inference-app.js';
import { createInferenceHandler } from '../src/server/inference/inference-handler.js';
import { createInferenceStack } from '../src/server/inference/inference-stack.js';
import { serveApiOnLoopback } from '../src/server/serve.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { customerRows, writeCustomerCsv } from './fixtures/governance-data.js';

const pipeline = (name: string) => ({
  name,
  params: { data: { type: 'file' } },
  steps: {
    ingest: { uses: 'data/ingest', with: { source: '${{ params.data }}', name } },
    train: {
      needs: 'ingest',
      uses: 'ml/train',
      with: {
        train: '${{ steps.ingest.outputs.dataset }}',
        target: 'price',
        features: ['income', 'age', 'region'],
        params: { numRounds: 5, maxDepth: 3 },
      },
    },
    register: {
      needs: 'train',
      uses: 'registry/register',
      with: { model: '${{ steps.train.outputs.model }}', name },
    },
    // Busy for longer than the executor's first memory sample (200 ms), so a peak is recorded.
    shell: {
      needs: 'register',
      run: 'node -e "const end = Date.now() + 700; while (Date.now() < end);"',
    },
  },
});

let dir: string;
let close: (() => Promise<void>) | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gyre-costs-'));
});
afterEach(async () => {
  await close?.();
  close = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describeEachGyre(
  'cost reports',
  (ctx) => {
    it('add up to the recorded resource use, priced by the rate card', async () => {
      const { gyre } = ctx;
      const runIds: string[] = [];
      for (const [name, seed] of [
        ['pricing', 1],
        ['pricing', 2],
        ['churn', 3],
        ['scratch', 4],
      ] as const) {
        await gyre.pipelines.register({ spec: pipeline(name) });
        const data = writeCustomerCsv(dir, customerRows(300, 5, seed), `${name}-${seed}.csv`);
        const done = await (
          await gyre.pipelines.startRun({ pipeline: name, params: { data } })
        ).done;
        expect(done.status).toBe('succeeded');
        runIds.push(done.id);
      }
      const tagTeam = async (pipelineName: string, team: string) => {
        const e = await gyre.tracking.experiments.getByName(`pipelines/${pipelineName}`);
        await gyre.tracking.experiments.setTag(e.experimentId, 'team', team);
      };
      await tagTeam('pricing', 'pricing-team');
      await tagTeam('churn', 'growth');
      await gyre.registry.setModelTag('pricing', 'team', 'pricing-team');

      // What the runs recorded, step by step.
      const recorded = (await Promise.all(runIds.map((id) => gyre.pipelines.getRun(id)))).flatMap(
        (r) => r.steps.map((s) => ({ run: r.id, pipeline: r.pipelineName, ...s })),
      );
      const shell = recorded.filter((s) => s.step === 'shell');
      // The first shell step ran; later runs answered it from the step cache, at no cost.
      expect(shell.map((s) => s.status)).toEqual(['succeeded', 'cached', 'cached', 'cached']);
      expect(shell[0].cpuMs).toBeGreaterThan(0);
      expect(shell[0].peakRssBytes).toBeGreaterThan(0);
      const cpu = (rows: typeof recorded) => rows.reduce((t, s) => t + (s.cpuMs ?? 0) / 1000, 0);
      const wall = (rows: typeof recorded) => rows.reduce((t, s) => t + (s.wallMs ?? 0) / 1000, 0);
      const gibHours = (rows: typeof recorded) =>
        rows.reduce(
          (t, s) => t + ((s.peakRssBytes ?? 0) / 1024 ** 3) * ((s.wallMs ?? 0) / 3_600_000),
          0,
        );

      // Serving: 40 predictions through a deployment of the pricing model.
      await gyre.serving.deployments.deploy({ name: 'quotes', model: 'pricing/1' });
      const stack = createInferenceStack(gyre);
      await stack.start();
      const http = createInferenceApp(
        createInferenceHandler({
          server: stack.server,
          version: '0.0.0-test',
          bodyLimitBytes: 1 << 20,
          logger: gyre.logger,
          metrics: async () => ({ contentType: 'text/plain', text: '' }),
        }),
      );
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      try {
        const res = await fetch(`${url}/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-gyre-deployment': 'quotes' },
          body: JSON.stringify({ dataframe_records: customerRows(40, 5, 9) }),
        });
        expect(res.status).toBe(200);
      } finally {
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        await stack.stop();
      }

      const api = await serveApiOnLoopback(gyre, { version: '0.0.0-test' });
      close = api.close;
      const report = await new GyreClient({ baseUrl: api.url }).governance.costReport({
        by: 'team',
        since: '1d',
      });
      const { rates } = report;
      expect(rates).toEqual({ cpuHourUsd: 0.2, memoryGibHourUsd: 0.01, servingCpuHourUsd: 0.05 });
      const withUsage = recorded.filter((s) => s.cpuMs !== undefined || s.wallMs !== undefined);
      expect(report.totals.steps).toBe(withUsage.length);
      expect(report.totals.runs).toBe(4);
      const servingCpu = report.serving.reduce((t, s) => t + s.cpuSeconds, 0);
      expect(report.serving).toEqual([
        expect.objectContaining({
          deployment: 'quotes',
          model: 'pricing',
          team: 'pricing-team',
          predictions: 40,
        }),
      ]);
      expect(report.totals.cpuSeconds).toBeCloseTo(cpu(recorded) + servingCpu, 9);
      expect(report.totals.wallSeconds).toBeCloseTo(wall(recorded), 9);
      expect(report.totals.gibHours).toBeCloseTo(gibHours(recorded), 12);
      const pipelineUsd = (cpu(recorded) / 3600) * 0.2 + gibHours(recorded) * 0.01;
      expect(report.totals.pipelineUsd).toBeCloseTo(pipelineUsd, 12);
      expect(report.totals.totalUsd).toBeCloseTo(pipelineUsd + (servingCpu / 3600) * 0.05, 12);

      const byTeam = Object.fromEntries(report.groups.map((g) => [g.key, g]));
      expect(Object.keys(byTeam).sort()).toEqual(['(untagged)', 'growth', 'pricing-team']);
      const of = (p: string) => recorded.filter((s) => s.pipeline === p);
      expect(byTeam['pricing-team']).toMatchObject({ runs: 2, predictions: 40 });
      expect(byTeam['pricing-team'].cpuSeconds).toBeCloseTo(cpu(of('pricing')) + servingCpu, 9);
      expect(byTeam.growth.cpuSeconds).toBeCloseTo(cpu(of('churn')), 9);
      expect(byTeam['(untagged)'].cpuSeconds).toBeCloseTo(cpu(of('scratch')), 9);

      const byModel = await gyre.governance.costs.report({ by: 'model', since: 0 });
      expect(byModel.groups.map((g) => g.key).sort()).toEqual(['churn', 'pricing', 'scratch']);
      expect(byModel.totals.totalUsd).toBeCloseTo(report.totals.totalUsd, 12);
      // Budgets: alerts at thresholds through monitoring's alerts, resolved when back under.
      const { budgets } = gyre.governance;
      const spent = byTeam['pricing-team'].totalUsd;
      await budgets.put(
        {
          name: 'pricing',
          scope: 'team',
          target: 'pricing-team',
          amountUsd: spent / 0.9,
          thresholds: [1, 0.8],
        },
        'alice',
      );
      await budgets.put(
        { name: 'growth', scope: 'team', target: 'growth', amountUsd: 1000 },
        'alice',
      );
      const statuses = await budgets.check({ alert: true });
      expect(statuses.find((b) => b.name === 'pricing')).toMatchObject({
        crossed: [0.8],
        rules: [
          { threshold: 0.8, rule: 'budget-pricing-80', state: 'firing' },
          { threshold: 1, rule: 'budget-pricing-100', state: 'ok' },
        ],
      });
      expect(statuses.find((b) => b.name === 'pricing')!.spentUsd).toBeCloseTo(spent, 12);
      expect(statuses.find((b) => b.name === 'growth')!.crossed).toEqual([]);
      const alerts = await gyre.monitoring.service.listAlerts({});
      expect(alerts.map((a) => [a.monitor, a.rule, a.state, a.severity, a.deployment])).toEqual([
        ['budget:pricing', 'budget-pricing-80', 'firing', 'warning', 'team:pricing-team'],
      ]);
      await budgets.check({ alert: true }); // still over: the same alert, nothing new
      expect(await gyre.monitoring.service.listAlerts({ state: 'firing' })).toHaveLength(1);
      await budgets.put(
        { name: 'pricing', scope: 'team', target: 'pricing-team', amountUsd: spent * 10 },
        'bob',
      );
      await budgets.check({ alert: true });
      expect(await gyre.monitoring.service.listAlerts({ state: 'firing' })).toEqual([]);
      await expect(
        budgets.put({ name: 'x', scope: 'galaxy', target: 't', amountUsd: 1 }, 'alice'),
      ).rejects.toThrow(/scope galaxy: use experiment, model, team/);

      const future = await gyre.governance.costs.report({
        since: Date.now() + 60_000,
        until: Date.now() + 120_000,
      });
      expect(future.groups).toEqual([]);
    });
  },
  { env: { GYRE_RATE_CPU_HOUR_USD: '0.2', GYRE_RATE_MEMORY_GIB_HOUR_USD: '0.01' } },
);
