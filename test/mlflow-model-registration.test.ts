// The registration part of an MLflow training script, as MLflow's REST API carries it: a run
// logs inputs, metrics and a model through the artifact proxy, the model is registered from
// `runs:/<id>/model`, aliased, found again and downloaded. Wired by the composition root, on
// SQLite and PostgreSQL.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../src/server/index.js';
import { describeEachGyre } from '../src/test-gyre.js';

const API = '/api/2.0/mlflow';
const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
  sklearn:
    pickled_model: model.pkl
    serialization_format: cloudpickle
mlflow_version: 2.7.1
signature:
  inputs: '[{"type": "double", "name": "MedInc"}, {"type": "double", "name": "HouseAge"}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
`;

describeEachGyre('registering a model logged by an MLflow run', (ctx) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
  });
  afterEach(() => app.close());

  const call = async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res =
      method === 'GET'
        ? await app.inject({ method, url: `${API}/${path}` })
        : await app.inject({ method, url: `${API}/${path}`, payload: body ?? {} });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('logs, registers, aliases, finds and downloads the model', async () => {
    const { experiment_id } = await call('POST', 'experiments/create', { name: 'housing' });
    const { run } = await call('POST', 'runs/create', { experiment_id, start_time: 1 });
    const runId: string = run.info.run_id;
    await call('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'rmse', value: 0.61, timestamp: 10, step: 0 },
        { key: 'rmse', value: 0.52, timestamp: 20, step: 1 },
      ],
      params: [{ key: 'max_depth', value: '6' }],
    });
    await call('POST', 'runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          dataset: { name: 'california', digest: 'ab12', source_type: 'local', source: '{}' },
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
        },
      ],
    });
    const artifactPath = `${experiment_id}/${runId}/artifacts/model`;
    for (const [file, body] of [
      ['MLmodel', MLMODEL],
      ['model.pkl', 'pickled bytes'],
    ]) {
      const put = await app.inject({
        method: 'PUT',
        url: `/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/${file}`,
        payload: body,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(put.statusCode, put.body).toBe(200);
    }
    await call('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: 30 });

    await call('POST', 'registered-models/create', { name: 'housing-model' });
    const { model_version } = await call('POST', 'model-versions/create', {
      name: 'housing-model',
      source: `runs:/${runId}/model`,
      run_id: runId,
    });
    expect(model_version).toMatchObject({ version: '1', status: 'READY', run_id: runId });

    await call('POST', 'registered-models/alias', {
      name: 'housing-model',
      alias: 'champion',
      version: '1',
    });
    const byAlias = await app.inject(
      `${API}/registered-models/alias?name=housing-model&alias=champion`,
    );
    expect(byAlias.json().model_version.aliases).toEqual(['champion']);
    const found = await app.inject({
      url: `${API}/model-versions/search`,
      query: { filter: `run_id = '${runId}'` },
    });
    expect(found.json().model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);

    const { artifact_uri } = await call(
      'GET',
      'model-versions/get-download-uri?name=housing-model&version=1',
    );
    expect(artifact_uri).toBe(`mlflow-artifacts:/${artifactPath}`);
    const listing = await app.inject({
      url: '/api/2.0/mlflow-artifacts/artifacts',
      query: { path: artifactPath },
    });
    expect(
      listing
        .json()
        .files.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['MLmodel', 'model.pkl']);
    const downloaded = await app.inject(
      `/api/2.0/mlflow-artifacts/artifacts/${artifactPath}/MLmodel`,
    );
    expect(downloaded.body).toBe(MLMODEL);

    // Gyre's own view: flavors and signature from MLmodel, lineage from the run.
    const version = (await app.inject('/api/v1/models/housing-model/versions/1')).json();
    expect(version.metadata).toMatchObject({
      flavors: { sklearn: { pickled_model: 'model.pkl' } },
      signature: {
        inputs: [
          { type: 'double', name: 'MedInc' },
          { type: 'double', name: 'HouseAge' },
        ],
      },
      mlflowVersion: '2.7.1',
    });
    expect(version.lineage).toEqual({
      runId,
      datasets: [{ name: 'california', digest: 'ab12', context: 'training' }],
      metrics: [{ key: 'rmse', value: 0.52, step: 1, timestamp: 20 }],
    });
    const resolved = (
      await app.inject({
        url: '/api/v1/model-uris/resolve',
        query: { uri: 'models:/housing-model@champion' },
      })
    ).json();
    expect(resolved).toMatchObject({
      artifactUri: `mlflow-artifacts:/${artifactPath}`,
      storePath: `mlflow/${artifactPath}`,
    });
  });
});
