import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { describeEachGyre } from '../../test-gyre.js';
import { KyselyPipelineStore } from '../store/kysely-pipeline-store.js';
import type { RunStatus } from '../types.js';
import { registerPipelineMetrics } from './pipeline-metrics.js';

function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

describeEachGyre('pipeline run metrics', (ctx) => {
  it('count runs by pipeline and status and bucket the durations of finished ones', async () => {
    const store = new KyselyPipelineStore(ctx.gyre.db);
    const t0 = 1_700_000_000_000;
    let n = 0;
    const run = async (pipeline: string, status: RunStatus, seconds?: number) => {
      const id = `run-${n++}`;
      await store.createRun(
        {
          id,
          pipelineName: pipeline,
          pipelineVersion: 1,
          params: {},
          trigger: { kind: 'manual' },
          noCache: false,
          steps: ['only'],
        },
        t0,
      );
      if (status === 'queued') return;
      await store.updateRun(id, {
        status,
        startedAt: t0,
        finishedAt: seconds === undefined ? undefined : t0 + seconds * 1000,
      });
    };
    await run('train', 'succeeded', 3);
    await run('train', 'succeeded', 40);
    await run('train', 'failed', 0.5);
    await run('train', 'running');
    await run('score', 'queued');
    await run('score', 'cancelled', 20_000);

    const registry = new Registry();
    registerPipelineMetrics(registry, store);
    const got = samples(await registry.metrics());
    expect(got.get('gyre_pipeline_runs_total{pipeline="train",status="succeeded"}')).toBe(2);
    expect(got.get('gyre_pipeline_runs_total{pipeline="train",status="failed"}')).toBe(1);
    expect(got.get('gyre_pipeline_runs_total{pipeline="score",status="cancelled"}')).toBe(1);
    expect(got.get('gyre_pipeline_runs_unfinished{pipeline="train",status="running"}')).toBe(1);
    expect(got.get('gyre_pipeline_runs_unfinished{pipeline="score",status="queued"}')).toBe(1);
    expect(got.has('gyre_pipeline_runs_total{pipeline="train",status="running"}')).toBe(false);

    const bucket = (le: string) =>
      got.get(
        `gyre_pipeline_run_duration_seconds_bucket{pipeline="train",status="succeeded",le="${le}"}`,
      );
    expect([bucket('1'), bucket('5'), bucket('30'), bucket('60'), bucket('+Inf')]).toEqual([
      0, 1, 1, 2, 2,
    ]);
    expect(
      got.get('gyre_pipeline_run_duration_seconds_sum{pipeline="train",status="succeeded"}'),
    ).toBe(43);
    expect(
      got.get('gyre_pipeline_run_duration_seconds_count{pipeline="score",status="cancelled"}'),
    ).toBe(1);
    expect(
      got.get(
        'gyre_pipeline_run_duration_seconds_bucket{pipeline="score",status="cancelled",le="+Inf"}',
      ),
    ).toBe(1);
    expect(
      got.get(
        'gyre_pipeline_run_duration_seconds_bucket{pipeline="score",status="cancelled",le="7200"}',
      ),
    ).toBe(0);
    expect(got.get('gyre_pipeline_last_success_timestamp_seconds{pipeline="train"}')).toBe(
      (t0 + 40_000) / 1000,
    );
  });
});
