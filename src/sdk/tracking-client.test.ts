// The tracking SDK against a real listening server (SQLite and PostgreSQL): Gyre's own
// /api/v1 tracking routes through typed calls, and the same catalog errors out.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../server/index.js';
import { describeEachGyre } from '../test-gyre.js';
import { requireStorePath } from '../tracking/index.js';
import { HttpClient } from './http-client.js';
import { TrackingClient } from './tracking-client.js';

describeEachGyre('TrackingClient', (ctx) => {
  let app: FastifyInstance;
  let client: TrackingClient;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new TrackingClient(new HttpClient({ baseUrl: url }));
  });
  afterEach(() => app.close());

  it('creates experiments and runs, logs a batch and reads it back', async () => {
    const experiment = await client.createExperiment({ name: 'housing', tags: { team: 'ml' } });
    expect(experiment).toMatchObject({ experimentId: '1', name: 'housing', tags: { team: 'ml' } });
    expect((await client.updateExperiment('1', { name: 'homes' })).name).toBe('homes');
    const run = await client.createRun({
      experimentId: '1',
      runName: 'baseline',
      tags: { stage: 'dev' },
    });
    expect(run.info).toMatchObject({ runName: 'baseline', status: 'RUNNING', experimentId: '1' });
    await client.log(run.info.runId, {
      metrics: [
        { key: 'rmse', value: 0.5, step: 0, timestamp: 1 },
        { key: 'rmse', value: 0.4, step: 1, timestamp: 2 },
        { key: 'gap', value: 'NaN' },
      ],
      params: { depth: '6' },
    });
    const got = await client.getRun(run.info.runId);
    expect(got.params).toEqual({ depth: '6' });
    expect(got.tags).toMatchObject({ stage: 'dev', 'mlflow.runName': 'baseline' });
    expect(got.metrics.find((m) => m.key === 'gap')?.value).toBe('NaN');
    expect(got.metrics.find((m) => m.key === 'rmse')).toMatchObject({ value: 0.4, step: 1 });
    const history = await client.metricHistory(run.info.runId, 'rmse', { maxResults: 1 });
    expect(history.metrics).toHaveLength(1);
    const rest = await client.metricHistory(run.info.runId, 'rmse', {
      maxResults: 1,
      pageToken: history.nextPageToken,
    });
    expect(rest.metrics[0].value).toBe(0.4);
    const found = await client.searchRuns(['1'], {
      filter: 'metrics.rmse < 0.45',
      orderBy: ['start_time DESC'],
    });
    expect(found.runs.map((r) => r.info.runId)).toEqual([run.info.runId]);
    expect(
      (await client.updateRun(run.info.runId, { status: 'FINISHED', endTime: 9 })).status,
    ).toBe('FINISHED');
    const listed = await client.searchExperiments({ filter: "name = 'homes'" });
    expect(listed.experiments.map((e) => e.experimentId)).toEqual(['1']);
  });

  it("logs a run's dataset inputs with the whole sha256 Gyre prints", async () => {
    const run = await client.createRun({});
    const sha256 = '0123456789abcdef'.repeat(4);
    await client.logInputs(run.info.runId, [
      {
        name: 'housing',
        digest: sha256,
        sourceType: 'gyre',
        source: 'housing@1',
        context: 'train',
      },
    ]);
    expect((await client.getRun(run.info.runId)).inputs).toEqual([
      {
        name: 'housing',
        digest: sha256,
        sourceType: 'gyre',
        source: 'housing@1',
        context: 'train',
        tags: [{ key: 'mlflow.data.context', value: 'train' }],
      },
    ]);
    const found = await client.searchRuns(['0'], { filter: `datasets.digest = '${sha256}'` });
    expect(found.runs.map((r) => r.info.runId)).toEqual([run.info.runId]);
  });

  it('rethrows catalog errors with their codes', async () => {
    await client.createExperiment({ name: 'dup' });
    await expect(client.createExperiment({ name: 'dup' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(client.getRun('f'.repeat(32))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      client.searchRuns(['0'], { filter: 'metrics.a > 1 OR 1=1' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const run = await client.createRun({});
    await client.log(run.info.runId, { params: { p: 'a' } });
    await expect(client.log(run.info.runId, { params: { p: 'b' } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await client.deleteRun(run.info.runId);
    await expect(client.log(run.info.runId, { tags: { t: 'x' } })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
  });
});

describeEachGyre('TrackingClient run views', (ctx) => {
  let app: FastifyInstance;
  let client: TrackingClient;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test', uiRoot: false });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new TrackingClient(new HttpClient({ baseUrl: url }));
  });
  afterEach(() => app.close());

  it("reads a downsampled history and a run's artifacts, with catalog errors", async () => {
    const run = await client.createRun({ experimentId: '0' });
    await client.log(run.info.runId, {
      metrics: Array.from({ length: 500 }, (_, step) => ({
        key: 'loss',
        value: step === 250 ? 'NaN' : 1 / (step + 1),
        step,
        timestamp: step,
      })),
    });
    const sampled = await client.sampledMetric(run.info.runId, 'loss', 50);
    expect(sampled.total).toBe(500);
    expect(sampled.points.length).toBeLessThanOrEqual(50);
    expect(sampled.points[0]).toEqual({ step: 0, timestamp: 0, value: 1 });

    const root = requireStorePath(run.info.artifactUri);
    await ctx.gyre.artifacts.put(`${root}/notes/readme.txt`, Buffer.from('hello'));
    expect((await client.listArtifacts(run.info.runId)).files).toEqual([
      { path: 'notes', isDir: true },
    ]);
    const response = await client.artifact(run.info.runId, 'notes/readme.txt');
    expect(await response.text()).toBe('hello');
    await expect(client.artifact(run.info.runId, 'notes/missing.txt')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
