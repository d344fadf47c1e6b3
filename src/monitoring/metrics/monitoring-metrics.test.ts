import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { DeploymentMonitorSnapshot, MonitoringSnapshot } from '../monitoring-snapshot.js';
import { registerMonitoringMetrics } from './monitoring-metrics.js';

/** `name{labels}` → value for every sample line of a scrape. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

function deployment(
  name: string,
  patch: Partial<DeploymentMonitorSnapshot> = {},
): DeploymentMonitorSnapshot {
  return {
    deployment: name,
    windowEnd: 1_700_000_000_000,
    windowRows: 500,
    driftShare: 0.5,
    datasetDrift: true,
    features: [
      { feature: 'income', method: 'ks', score: 0.001, drifted: true },
      { feature: 'rooms', method: 'ks', score: 0.4, drifted: false },
    ],
    realized: { rmse: 0.61, mae: 0.44 },
    labelledRows: 120,
    cpuSecondsPer1k: 0.25,
    memoryBytesPer1k: 1024,
    costPer1kUsd: 0.002,
    ...patch,
  };
}

async function scrape(snapshot: () => Promise<MonitoringSnapshot>, limits = {}) {
  const registry = new Registry();
  registerMonitoringMetrics(registry, { snapshot }, { limits });
  return samples(await registry.metrics());
}

describe('monitoring gauges', () => {
  it('export drift, realized performance, cost and alert states from the snapshot', async () => {
    const got = await scrape(async () => ({
      deployments: [deployment('housing')],
      alerts: [
        {
          id: 'a1',
          rule: 'drift',
          deployment: 'housing',
          severity: 'critical',
          state: 'firing',
          since: 1,
        },
      ],
    }));
    expect(got.get('gyre_monitoring_snapshot_success')).toBe(1);
    expect(got.get('gyre_drift_score{deployment="housing",feature="income",method="ks"}')).toBe(
      0.001,
    );
    expect(got.get('gyre_feature_drifted{deployment="housing",feature="income"}')).toBe(1);
    expect(got.get('gyre_feature_drifted{deployment="housing",feature="rooms"}')).toBe(0);
    expect(got.get('gyre_drift_share{deployment="housing"}')).toBe(0.5);
    expect(got.get('gyre_dataset_drift{deployment="housing"}')).toBe(1);
    expect(got.get('gyre_monitor_window_rows{deployment="housing"}')).toBe(500);
    expect(got.get('gyre_monitor_window_end_timestamp_seconds{deployment="housing"}')).toBe(
      1_700_000_000,
    );
    expect(got.get('gyre_realized_performance{deployment="housing",metric="rmse"}')).toBe(0.61);
    expect(got.get('gyre_realized_labelled_rows{deployment="housing"}')).toBe(120);
    expect(got.get('gyre_cpu_seconds_per_1k_predictions{deployment="housing"}')).toBe(0.25);
    expect(got.get('gyre_memory_bytes_per_1k_predictions{deployment="housing"}')).toBe(1024);
    expect(got.get('gyre_cost_per_1k_predictions_usd{deployment="housing"}')).toBe(0.002);
    const alert = (state: string) =>
      got.get(
        `gyre_alert_state{rule="drift",deployment="housing",severity="critical",state="${state}"}`,
      );
    expect([alert('firing'), alert('pending'), alert('resolved')]).toEqual([1, 0, 0]);
  });

  it('omit resource and cost series a deployment has not measured', async () => {
    const got = await scrape(async () => ({
      deployments: [
        deployment('fresh', {
          cpuSecondsPer1k: undefined,
          memoryBytesPer1k: undefined,
          costPer1kUsd: undefined,
        }),
      ],
      alerts: [],
    }));
    expect(got.has('gyre_drift_share{deployment="fresh"}')).toBe(true);
    expect([...got.keys()].some((k) => k.startsWith('gyre_cost_per_1k'))).toBe(false);
  });

  it('read one snapshot per scrape, and follow it between scrapes', async () => {
    let reads = 0;
    let share = 0.1;
    const registry = new Registry();
    registerMonitoringMetrics(registry, {
      snapshot: async () => {
        reads++;
        return { deployments: [deployment('d', { driftShare: share })], alerts: [] };
      },
    });
    expect(samples(await registry.metrics()).get('gyre_drift_share{deployment="d"}')).toBe(0.1);
    expect(reads).toBe(1);
    share = 0.9;
    expect(samples(await registry.metrics()).get('gyre_drift_share{deployment="d"}')).toBe(0.9);
    expect(reads).toBe(2);
  });

  it('drop series of a deployment that left the snapshot', async () => {
    let deployments = [deployment('old'), deployment('new')];
    const registry = new Registry();
    registerMonitoringMetrics(registry, { snapshot: async () => ({ deployments, alerts: [] }) });
    expect(samples(await registry.metrics()).has('gyre_drift_share{deployment="old"}')).toBe(true);
    deployments = [deployment('new')];
    const got = samples(await registry.metrics());
    expect([...got.keys()].filter((k) => k.includes('"old"'))).toEqual([]);
    expect(got.has('gyre_drift_share{deployment="new"}')).toBe(true);
  });

  it('report a failed snapshot as success 0 and export no monitoring series', async () => {
    const got = await scrape(() => Promise.reject(new Error('database gone')));
    expect(got.get('gyre_monitoring_snapshot_success')).toBe(0);
    expect([...got.keys()]).toEqual(['gyre_monitoring_snapshot_success']);
  });

  it('cap deployments, features (keeping the prediction and drifted ones) and metrics', async () => {
    const features = Array.from({ length: 40 }, (_, i) => ({
      feature: `f${String(i).padStart(2, '0')}`,
      method: 'wasserstein',
      score: i / 100,
      drifted: i >= 37,
    }));
    features.push({ feature: 'prediction', method: 'ks', score: 0.2, drifted: false });
    const got = await scrape(
      async () => ({
        deployments: ['c', 'a', 'b'].map((name) => deployment(name, { features })),
        alerts: [],
      }),
      { deployments: 2, featuresPerDeployment: 5, realizedMetricsPerDeployment: 1 },
    );
    const names = (metric: string, label: string) =>
      [...got.keys()]
        .filter((k) => k.startsWith(`${metric}{deployment="a"`))
        .map((k) => new RegExp(`${label}="([^"]+)"`).exec(k)![1])
        .sort();
    expect([...got.keys()].filter((k) => k.startsWith('gyre_drift_share')).sort()).toEqual([
      'gyre_drift_share{deployment="a"}',
      'gyre_drift_share{deployment="b"}',
    ]);
    expect(names('gyre_drift_score', 'feature')).toEqual([
      'f00',
      'f37',
      'f38',
      'f39',
      'prediction',
    ]);
    expect(names('gyre_realized_performance', 'metric')).toEqual(['mae']);
  });

  it('export one alert per rule and deployment: the latest', async () => {
    const got = await scrape(async () => ({
      deployments: [],
      alerts: [
        { id: '1', rule: 'r', deployment: 'd', severity: 'warning', state: 'resolved', since: 5 },
        { id: '2', rule: 'r', deployment: 'd', severity: 'warning', state: 'pending', since: 9 },
      ],
    }));
    const series = [...got.entries()].filter(([k]) => k.startsWith('gyre_alert_state'));
    expect(series).toHaveLength(3);
    expect(
      got.get('gyre_alert_state{rule="r",deployment="d",severity="warning",state="pending"}'),
    ).toBe(1);
  });
});
