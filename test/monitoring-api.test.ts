// The monitoring surfaces over HTTP, through the SDK against a listening API (SQLite and
// PostgreSQL): monitors, evaluate, label feedback, alerts with ack, the snapshot, and the
// driven rollout — with bad input answered 4xx naming the field.
import { afterEach, expect, it } from 'vitest';
import { GyreClient } from '../src/sdk/index.js';
import { serveApiOnLoopback } from '../src/server/serve.js';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { HOUSING_CSV } from './fixtures/data-files.js';
import { scaleColumns, startTraffic, type Traffic } from './fixtures/monitoring-traffic.js';

const model = trainHousingGbdt({ rounds: 5, rows: 2000 });

describeEachGyre('the monitoring API', (ctx) => {
  let traffic: Traffic | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await traffic?.stop();
    await close?.();
    traffic = undefined;
  });

  it('creates and checks monitors, takes labels, lists and acknowledges alerts', async () => {
    const { gyre } = ctx;
    await registerModel(gyre, 'housing', model);
    await registerModel(gyre, 'housing', model);
    await gyre.serving.deployments.deploy({ name: 'h', model: 'housing/1' });
    await gyre.data.datasets.ingest({ source: HOUSING_CSV, name: 'housing' });
    traffic = await startTraffic(gyre, 'h');
    const api = await serveApiOnLoopback(gyre, { version: '0.0.0-test' });
    close = api.close;
    const client = new GyreClient({ baseUrl: api.url }).monitoring;

    await expect(
      client.createMonitor({
        name: 'm',
        deployment: 'h',
        reference: { dataset: 'housing' },
        window: { rows: 0 },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/window/) });
    await expect(
      client.createMonitor({
        name: 'm',
        deployment: 'h',
        reference: { dataset: 'housing' },
        window: { rows: 500 },
        alerts: [{ name: 'a', when: 'drift_share >>= 1' }],
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/alerts\[0\]\.when/),
    });
    await expect(
      client.createMonitor({
        name: 'm',
        deployment: 'nope',
        reference: { dataset: 'housing' },
        window: { rows: 5 },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const created = await client.createMonitor({
      name: 'm',
      deployment: 'h',
      reference: { dataset: 'housing', source: 'profile' },
      window: { rows: 500 },
      alerts: [{ name: 'incomes', when: 'feature.median_income.drifted', severity: 'warning' }],
    });
    expect(created).toMatchObject({ name: 'm', spec: { deployment: 'h', minRows: 30 } });
    await expect(
      client.createMonitor({
        name: 'm',
        deployment: 'h',
        reference: { dataset: 'housing' },
        window: { rows: 5 },
      }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });

    const sent = traffic.send(500, { shift: scaleColumns(['median_income'], 2) });
    await traffic.flush();
    expect(
      await client.sendFeedback(
        'h',
        sent.map((s) => ({ requestId: s.requestId, label: s.target })),
      ),
    ).toEqual({ accepted: 500, duplicates: 0, updated: 0 });
    await expect(
      client.sendFeedback('h', [{ requestId: 'r', label: 'x' as unknown as number }]),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });

    const outcome = await client.evaluate('m');
    expect(outcome.status).toBe('checked');
    expect(outcome.result!.features.find((f) => f.feature === 'median_income')!.drifted).toBe(true);
    expect(outcome.result!.realized.labelledRows).toBe(500);
    // The log's usage record: this process's CPU since the log started, over the 500 rows it wrote.
    const resources = outcome.result!.resources!;
    expect(resources.predictions).toBe(500);
    expect(resources.cpuSecondsPer1k).toBeGreaterThan(0);
    expect(resources.memoryBytesPer1k).toBeGreaterThan(0);
    // The default price, 0.05 USD per CPU-hour.
    expect(resources.costPer1kUsd).toBeCloseTo((resources.cpuSecondsPer1k / 3600) * 0.05, 12);
    expect(outcome.alerts).toMatchObject([{ rule: 'incomes', state: 'firing', change: 'fired' }]);
    expect((await client.evaluate('m')).status).toBe('skipped');

    expect((await client.listMonitors('h')).map((m) => [m.name, m.latest?.seq])).toEqual([
      ['m', 1],
    ]);
    expect((await client.results('m')).map((r) => r.rows)).toEqual([500]);
    const [alert] = await client.listAlerts({ state: 'firing' });
    expect(alert).toMatchObject({ rule: 'incomes', deployment: 'h', severity: 'warning' });
    expect((await client.ackAlert(alert.id, 'me')).ackedBy).toBe('me');
    expect((await client.getAlert(alert.id)).evidence).toMatchObject([
      { seq: 1, value: true, held: true },
    ]);
    const snapshot = await client.snapshot();
    expect(snapshot.deployments).toMatchObject([
      { deployment: 'h', windowRows: 500, labelledRows: 500 },
    ]);
    expect(snapshot.alerts).toMatchObject([{ id: alert.id, state: 'firing' }]);

    await expect(client.getMonitor('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.getRollout('h')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.rollout('h', 'start')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await gyre.serving.deployments.deploy({ name: 'h', model: 'housing/2', canary: 10 });
    const started = await client.rollout('h', 'start', [{ weight: 50, pauseMs: 3_600_000 }]);
    expect(started.rollout).toMatchObject({ state: 'running', step: 0 });
    expect((await client.rollout('h', 'pause')).rollout.state).toBe('paused');
    await expect(client.rollout('h', 'advance')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    expect((await client.rollout('h', 'resume')).rollout.state).toBe('running');
    await client.deleteMonitor('m');
    expect(await client.listMonitors()).toEqual([]);
  });
});
