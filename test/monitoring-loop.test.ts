// The monitoring loop on real parts, on SQLite and PostgreSQL: a model server answers housing
// requests, the real prediction log writes them, a monitor checks windows of that log against
// the training dataset; an injected shift drifts and a random sample does not; the drift
// alert goes pending → firing → resolved (with ack and cooldown) and its fired event starts a
// retrain pipeline; labels sent later are joined to predictions by request id and routing key.
import { afterEach, expect, it } from 'vitest';
import { KyselyCursorStore } from '../src/events/index.js';
import { mae, rmse } from '../src/ml/index.js';
import { MONITORING_ALERT_FIRED } from '../src/monitoring/index.js';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { HOUSING_CSV } from './fixtures/data-files.js';
import { scaleColumns, startTraffic, type Traffic } from './fixtures/monitoring-traffic.js';

const models = [0, 1].map((seed) => trainHousingGbdt({ rounds: 10, rows: 3000, seed }));
const SHIFT = scaleColumns(
  ['median_income', 'total_rooms', 'total_bedrooms', 'population', 'households'],
  1.6,
);

describeEachGyre('the monitoring loop', (ctx) => {
  let traffic: Traffic | undefined;
  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
  });

  const setup = async (canary = false) => {
    const { gyre } = ctx;
    for (const m of models) await registerModel(gyre, 'housing', m);
    await gyre.serving.deployments.deploy({ name: 'h', model: 'housing/1' });
    if (canary)
      await gyre.serving.deployments.deploy({ name: 'h', model: 'housing/2', canary: 50 });
    await gyre.data.datasets.ingest({ source: HOUSING_CSV, name: 'housing' });
    traffic = await startTraffic(gyre, 'h');
    return traffic;
  };

  it('detects a shift, not a random sample; the alert goes pending, firing, resolved', async () => {
    const { gyre } = ctx;
    const t = await setup();
    const monitoring = gyre.monitoring.service;
    await monitoring.createMonitor({
      name: 'h-drift',
      deployment: 'h',
      reference: { dataset: 'housing' },
      window: { rows: 1000 },
      alerts: [
        {
          name: 'h-drift',
          when: 'drift_share >= 0.5',
          for: 2,
          severity: 'critical',
          cooldownMs: 3_600_000,
          actions: [{ kind: 'pipeline', params: { reason: 'drift' } }],
        },
      ],
    });
    const check = async (shift: boolean, seed: number) => {
      t.send(1000, { seed, ...(shift ? { shift: SHIFT } : {}) });
      await t.flush();
      const outcome = await monitoring.evaluate('h-drift');
      expect(outcome.status).toBe('checked');
      return outcome;
    };

    const calm = await check(false, 1);
    expect(calm.result).toMatchObject({ rows: 1000, datasetDrift: false, modelVersion: '1' });
    expect(calm.result!.features.map((f) => f.feature).sort()).toEqual(
      [
        'households',
        'housing_median_age',
        'latitude',
        'longitude',
        'median_income',
        'ocean_proximity',
        'population',
        'total_bedrooms',
        'total_rooms',
      ].sort(),
    );
    // 1,000 random rows against the 20,640-row dataset: distances, and none past 0.1.
    expect(calm.result!.features.filter((f) => f.drifted)).toEqual([]);
    expect(calm.result!.features.find((f) => f.feature === 'median_income')!.test).toBe(
      'wasserstein',
    );
    expect(calm.alerts).toEqual([]);

    const first = await check(true, 2);
    expect(first.result!.datasetDrift).toBe(true);
    expect(
      first
        .result!.features.filter((f) => f.drifted)
        .map((f) => f.feature)
        .sort(),
    ).toEqual(['households', 'median_income', 'population', 'total_bedrooms', 'total_rooms']);
    expect(first.alerts).toMatchObject([{ rule: 'h-drift', state: 'pending', change: 'pending' }]);

    const second = await check(true, 3);
    expect(second.alerts).toMatchObject([{ state: 'firing', change: 'fired' }]);
    const alertId = second.alerts[0].id;
    const fired = await gyre.events.list({ type: MONITORING_ALERT_FIRED });
    expect(fired).toHaveLength(1);
    expect(fired[0].payload).toMatchObject({
      rule: 'h-drift',
      deployment: 'h',
      severity: 'critical',
      monitor: 'h-drift',
      alert_id: alertId,
      reason: 'drift',
      dataset_latest: 'housing@1',
    });
    expect(second.actions).toMatchObject([{ kind: 'pipeline', outcome: 'succeeded' }]);

    const alert = await monitoring.getAlert(alertId);
    expect(alert.evidence.map((e) => [e.seq, e.held])).toEqual([
      [2, true],
      [3, true],
    ]);
    expect(alert.actions).toHaveLength(1);
    expect((await monitoring.ackAlert(alertId, 'oncall')).ackedBy).toBe('oncall');
    expect((await monitoring.snapshot()).alerts).toMatchObject([
      { id: alertId, state: 'firing', severity: 'critical', deployment: 'h' },
    ]);

    expect((await check(true, 4)).alerts).toMatchObject([{ change: 'still-firing' }]);
    const resolved = await check(false, 5);
    expect(resolved.alerts).toMatchObject([{ id: alertId, state: 'resolved', change: 'resolved' }]);
    await expect(monitoring.ackAlert(alertId, 'oncall')).rejects.toThrow(/resolved/);

    // Drift again within the cooldown: a new episode stays pending and nothing fires.
    await check(true, 6);
    const blocked = await check(true, 7);
    expect(blocked.alerts).toMatchObject([{ state: 'pending', change: 'still-pending' }]);
    expect(await gyre.events.list({ type: MONITORING_ALERT_FIRED })).toHaveLength(1);

    const snapshot = await gyre.monitoring.snapshot();
    expect(snapshot.deployments).toMatchObject([
      { deployment: 'h', windowRows: 1000, datasetDrift: true, modelVersion: '1' },
    ]);
    expect((await monitoring.results('h-drift')).map((r) => r.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it('skips a window with too few rows and keeps the cursor', async () => {
    const { gyre } = ctx;
    const t = await setup();
    await gyre.monitoring.service.createMonitor({
      name: 'm',
      deployment: 'h',
      reference: { dataset: 'housing', source: 'profile' },
      window: { rows: 100 },
      minRows: 50,
    });
    expect(await gyre.monitoring.service.evaluate('m')).toMatchObject({
      status: 'skipped',
      reason: 'no predictions logged yet',
    });
    t.send(20);
    await t.flush();
    expect((await gyre.monitoring.service.evaluate('m')).reason).toMatch(/holds 20 rows/);
    t.send(40, { seed: 9 });
    await t.flush();
    const checked = await gyre.monitoring.service.evaluate('m');
    // The 20 earlier rows were never checked, so they count: 60 rows since the start.
    expect(checked.result!.rows).toBe(60);
    // Profiles keep histograms: the tests run on bins.
    expect(checked.result!.features.length).toBe(9);
  });

  it('takes an earlier stretch of the log as the reference, prediction drift included', async () => {
    const { gyre } = ctx;
    const t = await setup();
    const start = Date.now();
    t.send(600, { seed: 11 });
    await t.flush();
    const end = Date.now() + 1;
    t.send(600, { seed: 12, shift: SHIFT });
    await t.flush();
    await gyre.monitoring.service.createMonitor({
      name: 'vs-last-week',
      deployment: 'h',
      reference: { window: { start, end } },
      window: { rows: 600 },
    });
    const { result } = await gyre.monitoring.service.evaluate('vs-last-week');
    expect(result!.rows).toBe(600);
    expect(
      result!.features
        .filter((f) => f.drifted)
        .map((f) => f.feature)
        .sort(),
    ).toEqual(['households', 'median_income', 'population', 'total_bedrooms', 'total_rooms']);
    // Incomes up 60%: the model's answers move too.
    expect(result!.prediction).toMatchObject({ feature: 'prediction', drifted: true });
  });

  it('joins delayed labels by request id and by routing key, per model version', async () => {
    const { gyre } = ctx;
    const t = await setup(true);
    await t.server.sync();
    const sent = t.send(300, { routingKey: (i) => `user-${i}` });
    await t.flush();
    await gyre.monitoring.service.createMonitor({
      name: 'perf',
      deployment: 'h',
      reference: { dataset: 'housing' },
      window: { rows: 1000 },
    });
    const byId = sent.slice(0, 200);
    const byKey = sent.slice(200, 250);
    const counts = await gyre.monitoring.feedback.send(
      'h',
      byId.map((s) => ({ requestId: s.requestId, label: s.target })),
    );
    expect(counts).toEqual({ accepted: 200, duplicates: 0, updated: 0 });
    const now = Date.now();
    expect(
      await gyre.monitoring.feedback.send('h', [
        ...byKey.map((s, i) => ({ routingKey: `user-${200 + i}`, time: now, label: s.target })),
        // Re-sent: a no-op.
        ...byId
          .slice(0, 100)
          .map((s) => ({ requestId: s.requestId, rowIndex: 0, label: s.target })),
      ]),
    ).toEqual({ accepted: 50, duplicates: 100, updated: 0 });
    await expect(
      gyre.monitoring.feedback.send('h', [{ requestId: 'x', label: Number.NaN }]),
    ).rejects.toThrow(/labels\[0\]\.label/);
    await expect(
      gyre.monitoring.feedback.send('nope', [{ requestId: 'x', label: 1 }]),
    ).rejects.toThrow(/nope/);

    const { result } = await gyre.monitoring.service.evaluate('perf');
    const labelled = [...byId, ...byKey];
    expect(result!.realized.labelledRows).toBe(250);
    const y = labelled.map((s) => s.target);
    const p = labelled.map((s) => s.prediction);
    expect(result!.realized.metrics.rmse).toBeCloseTo(rmse(y, p), 9);
    expect(result!.realized.metrics.mae).toBeCloseTo(mae(y, p), 9);
    for (const version of ['1', '2']) {
      const mine = labelled.filter((s) => s.version === version);
      expect(mine.length).toBeGreaterThan(50);
      expect(result!.realized.byModelVersion[version].labelledRows).toBe(mine.length);
      expect(result!.realized.byModelVersion[version].metrics.rmse).toBeCloseTo(
        rmse(
          mine.map((s) => s.target),
          mine.map((s) => s.prediction),
        ),
        9,
      );
    }
    expect(result!.rowsByModelVersion['1'] + result!.rowsByModelVersion['2']).toBe(300);
  });

  it(
    'a drift alert starts the retrain pipeline that listens for it',
    { timeout: 60_000 },
    async () => {
      const { gyre } = ctx;
      const t = await setup();
      await gyre.pipelines.register({
        spec: {
          name: 'retrain',
          params: { dataset: { type: 'string', default: '' } },
          triggers: [
            { alert: 'housing-drift', params: { dataset: '${{ trigger.dataset_latest }}' } },
          ],
          steps: {
            show: { run: 'echo "$GYRE_INPUT_DATASET"', with: { dataset: '${{ params.dataset }}' } },
          },
        },
      });
      gyre.start();
      const cursors = new KyselyCursorStore(gyre.db);
      await expect.poll(() => cursors.get('pipelines.triggers'), { timeout: 15_000 }).toBeDefined();
      await gyre.monitoring.service.createMonitor({
        name: 'h-drift',
        deployment: 'h',
        reference: { dataset: 'housing' },
        window: { rows: 300 },
        alerts: [{ name: 'housing-drift', when: 'dataset_drift', actions: [{ kind: 'pipeline' }] }],
      });
      t.send(300, { shift: SHIFT });
      await t.flush();
      expect((await gyre.monitoring.service.evaluate('h-drift')).alerts).toMatchObject([
        { change: 'fired' },
      ]);
      await expect
        .poll(
          async () =>
            (await gyre.pipelines.listRuns({ pipeline: 'retrain' })).items.map((r) => r.status),
          {
            timeout: 20_000,
          },
        )
        .toEqual(['succeeded']);
      const [run] = (await gyre.pipelines.listRuns({ pipeline: 'retrain' })).items;
      expect(run.params.dataset).toBe('housing@1');
      expect(run.trigger.kind).toBe('event');
    },
  );
});
