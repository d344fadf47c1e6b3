// An unmodified MLflow client written by others (the npm `mlflow` package) drives a real Gyre
// server on a loopback port: the tracking part of a training script's flow, end to end.
import type { FastifyInstance } from 'fastify';
import mlflowPackage from 'mlflow';
import { RunStatus, ViewType } from 'mlflow/enum.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_DIALECTS } from '../src/db/test-database.js';
import { buildApp } from '../src/server/index.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';

// The package's index.js exports the client class itself; its typings describe the module.
const MLflow = mlflowPackage as unknown as typeof mlflowPackage.default;
type MLflowClient = InstanceType<typeof MLflow>;
type KeyValue = { key: string; value: string };
type MetricJson = { key: string; value: number; step: number };

describe.each(TEST_DIALECTS)('the npm mlflow client against a running Gyre [%s]', (dialect) => {
  let test: TestGyre;
  let app: FastifyInstance;
  let client: MLflowClient;

  beforeAll(async () => {
    // The client prints every POST body; keep the test output readable.
    vi.spyOn(console, 'log').mockImplementation(() => {});
    test = await createTestGyre(dialect);
    app = await buildApp(test.gyre, { version: '0.0.0-test' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new MLflow({ endpoint: url });
  });

  afterAll(async () => {
    await app.close();
    await test.close();
    vi.restoreAllMocks();
  });

  it('creates an experiment, logs a run and reads it all back', async () => {
    const { Experiments, Runs, Metrics } = client;
    const { experiment_id } = await Experiments.create({
      name: 'california-housing',
      artifact_location: '',
    });
    expect(experiment_id).toBe('1');
    const { experiments } = await Experiments.list();
    expect(experiments.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['Default', 'california-housing']),
    );

    const { run } = await Runs.create({
      experiment_id,
      user_id: 'ada',
      start_time: Date.now(),
      tags: [{ key: 'mlflow.source.name', value: 'train.py' }],
    });
    const runId = run.info.run_id;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);

    await Runs.logParameter({ run_id: runId, key: 'max_depth', value: '6' });
    for (let step = 0; step < 5; step += 1)
      await Runs.logMetric({
        run_id: runId,
        key: 'rmse',
        value: 1 / (step + 1),
        timestamp: Date.now(),
        step,
      });
    await Runs.logBatch({
      run_id: runId,
      metrics: [{ key: 'r2', value: 0.81, timestamp: Date.now(), step: 4 }],
      params: [{ key: 'learning_rate', value: '0.1' }],
      tags: [{ key: 'stage', value: 'dev' }],
    });
    await Runs.setTag({ run_id: runId, key: 'temp', value: 'x' });
    await Runs.deleteTag({ run_id: runId, key: 'temp' });
    await Runs.update({ run_id: runId, status: RunStatus.FINISHED, end_time: Date.now() });

    const fetched = (await Runs.get({ run_id: runId })).run;
    expect(fetched.info.status).toBe('FINISHED');
    expect(fetched.data.params).toEqual([
      { key: 'learning_rate', value: '0.1' },
      { key: 'max_depth', value: '6' },
    ]);
    expect(fetched.data.metrics.find((m: MetricJson) => m.key === 'rmse')).toMatchObject({
      value: 0.2,
      step: 4,
    });
    expect(fetched.data.tags.map((t: KeyValue) => t.key)).not.toContain('temp');

    const history = await Metrics.getHistory({ run_id: runId, metric_key: 'rmse' });
    expect(history.metrics.map((m: MetricJson) => m.step)).toEqual([0, 1, 2, 3, 4]);

    const { runs } = await Runs.search({
      experiment_ids: [experiment_id],
      filter: "metrics.rmse < 0.5 AND params.max_depth = '6' AND tags.stage = 'dev'",
    });
    expect(runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);

    await Runs.delete({ run_id: runId });
    const deleted = await Runs.search({
      experiment_ids: [experiment_id],
      run_view_type: ViewType.DELETED_ONLY,
    });
    expect(deleted.runs).toHaveLength(1);
    await Runs.restore({ run_id: runId });
  });

  it("surfaces Gyre's errors as MLflow error bodies through the client", async () => {
    const { Runs, Experiments } = client;
    await expect(Experiments.get({ experiment_id: '999' })).rejects.toThrow(
      /RESOURCE_DOES_NOT_EXIST/,
    );
    const { run } = await Runs.create({
      experiment_id: '0',
      user_id: 'ada',
      start_time: Date.now(),
    });
    await Runs.logParameter({ run_id: run.info.run_id, key: 'p', value: 'a' });
    await expect(
      Runs.logParameter({ run_id: run.info.run_id, key: 'p', value: 'b' }),
    ).rejects.toThrow(/INVALID_PARAMETER_VALUE/);
  });
});
