// A real Prometheus scraping a real Gyre server: a deployment with a drift monitor is fed a
// calm window, then a shifted one; each is evaluated on demand, and the drift gauges are read
// back through Prometheus' HTTP API (/api/v1/query), with the shipped rules turning the
// dataset drift into a GyreDatasetDrift alert and forwarding Gyre's own firing alert.
// Waits on conditions, never on sleeps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createGyre, type Gyre } from '../src/gyre.js';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { HOUSING_CSV, REPO_ROOT } from './fixtures/data-files.js';
import { startGyre, type ServingGyre } from './fixtures/gyre-process.js';
import { scaleColumns, startTraffic, type Traffic } from './fixtures/monitoring-traffic.js';
import { startPrometheus, waitFor, type RunningPrometheus } from './fixtures/prometheus.js';

const SHIFT = scaleColumns(
  ['median_income', 'total_rooms', 'total_bedrooms', 'population', 'households'],
  1.6,
);

const home = mkdtempSync(join(tmpdir(), 'gyre-prometheus-scrape-'));
// The server's own monitor runner stays out of the way: the test asks for each evaluation.
const env = { GYRE_HOME: home, GYRE_MONITORING_INTERVAL_MS: '3600000' };
// The test's own Gyre (same home and database as the server) deploys the model and sends
// traffic through a real model server and prediction log; the server process creates and
// evaluates the monitor (REST) and answers /metrics from what is stored.
let gyre: Gyre;
let traffic: Traffic;
let server: ServingGyre;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  gyre = await createGyre(loadConfig({ cwd: home, env: { GYRE_HOME: home } }));
  await registerModel(gyre, 'housing', trainHousingGbdt({ rounds: 10, rows: 3000, seed: 0 }));
  await gyre.serving.deployments.deploy({ name: 'h', model: 'housing/1' });
  await gyre.data.datasets.ingest({ source: HOUSING_CSV, name: 'housing' });
  traffic = await startTraffic(gyre, 'h');
  server = await startGyre(['server', '--port', '0'], { cwd: home, env });
  const created = await api('POST', '/api/v1/monitors', {
    name: 'h-drift',
    deployment: 'h',
    reference: { dataset: 'housing' },
    window: { rows: 400 },
    alerts: [{ name: 'housing-drift', when: 'drift_share >= 0.5', for: 1, severity: 'critical' }],
  });
  expect(created.status).toBe(201);
  prometheus = await startPrometheus({
    targets: [new URL(server.url).host],
    ruleFiles: [join(REPO_ROOT, 'deploy/prometheus/rules.yaml')],
  });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await server?.stop('SIGKILL');
  await traffic?.stop();
  await gyre?.close();
  rmSync(home, { recursive: true, force: true });
});

/** The value of a one-sample instant query once `accept` holds for it. */
async function queried(promql: string, accept: (v: number) => boolean): Promise<number> {
  return waitFor(`${promql} in Prometheus`, async () => {
    const answer = await prometheus.query(promql);
    if (answer.status !== 'success') throw new Error(answer.error);
    const sample = answer.data!.result[0];
    if (!sample) return undefined;
    const value = Number(sample.value[1]);
    return accept(value) ? value : undefined;
  });
}

async function api(method: string, path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Sends a window of traffic, then has the server evaluate the monitor on demand (REST). */
async function evaluateWindow(shift: boolean, seed: number) {
  traffic.send(400, { seed, ...(shift ? { shift: SHIFT } : {}) });
  await traffic.flush();
  const outcome = await api('POST', '/api/v1/monitors/h-drift/evaluate', {});
  expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
  expect(outcome.body.status).toBe('checked');
  return outcome.body.result as {
    datasetDrift: boolean;
    driftShare: number;
    features: { feature: string; score: number }[];
  };
}

it('Prometheus scrapes Gyre and reads the drift gauges back as drift appears', async () => {
  expect(await queried('up{job="gyre"}', (v) => v === 1)).toBe(1);

  const calm = await evaluateWindow(false, 1);
  expect(calm.datasetDrift).toBe(false);
  expect(await queried('gyre_dataset_drift{deployment="h"}', (v) => v === 0)).toBe(0);
  const calmShare = await queried('gyre_drift_share{deployment="h"}', () => true);
  expect(calmShare).toBeLessThan(0.5);

  const shifted = await evaluateWindow(true, 2);
  expect(shifted.datasetDrift).toBe(true);
  expect(await queried('gyre_dataset_drift{deployment="h"}', (v) => v === 1)).toBe(1);
  expect(await queried('gyre_drift_share{deployment="h"}', (v) => v >= 0.5)).toBeCloseTo(
    shifted.driftShare,
    6,
  );
  const income = shifted.features.find((f) => f.feature === 'median_income')!;
  expect(
    await queried(
      'gyre_feature_drifted{deployment="h",feature="median_income"} == 1',
      (v) => v === 1,
    ),
  ).toBe(1);
  expect(
    await queried('gyre_drift_score{deployment="h",feature="median_income"}', () => true),
  ).toBeCloseTo(income.score, 6);

  // Gyre's own alert fired on that window, and the shipped rules forward it.
  expect(
    await queried(
      'gyre_alert_state{rule="housing-drift",deployment="h",severity="critical",state="firing"}',
      (v) => v === 1,
    ),
  ).toBe(1);
  await queried(
    'ALERTS{alertname="GyreAlertFiring",rule="housing-drift",alertstate="firing"}',
    (v) => v === 1,
  );
  // The shipped drift rule sees the window too: pending for its `for` of 5 minutes.
  await queried(
    'ALERTS{alertname="GyreDatasetDrift",deployment="h",alertstate="pending"}',
    (v) => v === 1,
  );
  expect(await queried('gyre_monitoring_snapshot_success', (v) => v === 1)).toBe(1);
}, 90_000);
