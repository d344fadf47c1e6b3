// Bad input is refused with a 4xx naming the field, on Gyre's API and MLflow's alike, and
// nothing is written (issue 12, finding 7).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachGyre } from '../test-gyre.js';
import { buildApp } from './app.js';

const MLFLOW = '/api/2.0/mlflow';

describeEachGyre('input validation on both APIs', (ctx) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
  });
  afterEach(() => app.close());

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
  const gyreError = (res: { statusCode: number; json(): { error: { code: string } } }) => [
    res.statusCode,
    res.json().error.code,
  ];
  const mlflowError = (res: { statusCode: number; json(): { error_code: string } }) => [
    res.statusCode,
    res.json().error_code,
  ];

  it.each(['../../etc/passwd', 'runs:/abc/../../x', 's3://bucket/a/../b', '..', 'x/%2e%2e/y'])(
    'refuses the version source %j, which climbs with ..',
    async (source) => {
      await ctx.gyre.registry.createModel({ name: 'm2' });
      const gyre = await post('/api/v1/models/m2/versions', { source });
      expect(gyreError(gyre)).toEqual([400, 'INVALID_ARGUMENT']);
      expect(gyre.json().error.details).toMatchObject({ field: 'source' });
      const mlflow = await post(`${MLFLOW}/model-versions/create`, { name: 'm2', source });
      expect(mlflowError(mlflow)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(mlflow.json().message).toMatch(/source/);
      expect((await ctx.gyre.registry.searchVersions({ modelName: 'm2' })).items).toEqual([]);
    },
  );

  it('still accepts sources whose names merely contain dots', async () => {
    await ctx.gyre.registry.createModel({ name: 'm3' });
    const res = await post('/api/v1/models/m3/versions', { source: 's3://bucket/model..v2/x.y' });
    expect(res.statusCode).toBe(201);
  });

  it('refuses log-inputs for a run that does not exist', async () => {
    const res = await post(`${MLFLOW}/runs/log-inputs`, { run_id: 'f'.repeat(32), datasets: [] });
    expect(mlflowError(res)).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    const withData = await post(`${MLFLOW}/runs/log-inputs`, {
      run_id: 'f'.repeat(32),
      datasets: [{ dataset: { name: 'd', digest: 'x', source_type: 'local', source: '/d' } }],
    });
    expect(mlflowError(withData)).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });

  it.each(['0x10', '0b101', '0o17', ' 12 ', '1_000', '12abc', 'infinity', '+-1', ''])(
    'refuses the metric value %j',
    async (value) => {
      const run = await ctx.gyre.tracking.runs.create({});
      const res = await post(`${MLFLOW}/runs/log-metric`, {
        run_id: run.info.runId,
        key: 'm',
        value,
        timestamp: 1,
      });
      expect(mlflowError(res)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(res.json().message).toMatch(/'value'/);
      const batch = await post(`${MLFLOW}/runs/log-batch`, {
        run_id: run.info.runId,
        metrics: [{ key: 'm', value, timestamp: 1 }],
      });
      expect(mlflowError(batch)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect((await ctx.gyre.tracking.runs.get(run.info.runId)).metrics).toEqual([]);
    },
  );

  it.each([
    ['16', 16],
    ['-1.5', -1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['-2.5E-3', -0.0025],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    [42, 42],
  ])('accepts the metric value %j as MLflow does', async (value, stored) => {
    const run = await ctx.gyre.tracking.runs.create({});
    const res = await post(`${MLFLOW}/runs/log-metric`, {
      run_id: run.info.runId,
      key: 'm',
      value,
      timestamp: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await ctx.gyre.tracking.runs.get(run.info.runId)).metrics[0].value).toBe(stored);
  });

  it.each(['\0', '\0\0', ' \0 ', 'a\0b', '   ', '\t\n'])(
    'refuses the experiment name %j on both APIs',
    async (name) => {
      expect(gyreError(await post('/api/v1/experiments', { name }))).toEqual([
        400,
        'INVALID_ARGUMENT',
      ]);
      const mlflow = await post(`${MLFLOW}/experiments/create`, { name });
      expect(mlflowError(mlflow)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(mlflow.json().message).toMatch(/name/);
      const created = await ctx.gyre.tracking.experiments.create({ name: 'ok' });
      const renamed = await post(`${MLFLOW}/experiments/update`, {
        experiment_id: created.experimentId,
        new_name: name,
      });
      expect(mlflowError(renamed)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      await ctx.gyre.tracking.experiments.delete(created.experimentId);
    },
  );

  it.each(['   ', '\t', ' \n ', '\u00a0'])(
    'refuses the model name %j on both APIs',
    async (name) => {
      const gyre = await post('/api/v1/models', { name });
      expect(gyreError(gyre)).toEqual([400, 'INVALID_ARGUMENT']);
      expect(gyre.json().error.details).toMatchObject({ field: 'name' });
      const mlflow = await post(`${MLFLOW}/registered-models/create`, { name });
      expect(mlflowError(mlflow)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(mlflow.json().message).toMatch(/name/);
    },
  );

  it.each([0, 1.5, true, {}, ['s3://b']])(
    'refuses artifact_location %j, which is not a string',
    async (artifactLocation) => {
      const res = await post(`${MLFLOW}/experiments/create`, {
        name: 'located',
        artifact_location: artifactLocation,
      });
      expect(mlflowError(res)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(res.json().message).toMatch(/artifact_location/);
      const gyre = await post('/api/v1/experiments', {
        name: 'located',
        artifactLocation,
      });
      expect(gyreError(gyre)).toEqual([400, 'INVALID_ARGUMENT']);
      expect(gyre.json().error.message).toMatch(/artifactLocation/);
      expect((await ctx.gyre.tracking.experiments.list()).map((e) => e.name)).not.toContain(
        'located',
      );
    },
  );
});
