// Contract tests for MLflow's runs/*, metrics/get-history and artifacts/list endpoints and the
// artifact proxy, written from MLflow's REST API docs, service.proto and mlflow_artifacts.proto:
// protobuf-JSON shapes and error codes for missing or invalid fields. SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { describeEachGyre } from '../../test-gyre.js';
import { errorOf, useTrackingMlflowApp } from './test-mlflow-app.js';

describeEachGyre('MLflow run endpoints', (ctx) => {
  const t = useTrackingMlflowApp(ctx);
  const { post, get } = t;
  const newRun = async (payload: object = {}) =>
    (await post('runs/create', { experiment_id: '0', ...payload })).json().run.info
      .run_id as string;

  it('runs: create, get, update, delete and restore in protobuf-JSON shapes', async () => {
    const res = await post('runs/create', {
      experiment_id: '0',
      user_id: 'ada',
      start_time: '1700000000000',
      tags: [{ key: 'mlflow.source.name', value: 'train.py' }],
      run_name: 'baseline',
    });
    expect(res.statusCode).toBe(200);
    const run = res.json().run;
    expect(run.info).toEqual({
      run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      run_uuid: run.info.run_id,
      run_name: 'baseline',
      experiment_id: '0',
      user_id: 'ada',
      status: 'RUNNING',
      start_time: 1700000000000,
      artifact_uri: `mlflow-artifacts:/0/${run.info.run_id}/artifacts`,
      lifecycle_stage: 'active',
    });
    expect(run.data).toEqual({
      tags: [
        { key: 'mlflow.runName', value: 'baseline' },
        { key: 'mlflow.source.name', value: 'train.py' },
      ],
    });
    const id = run.info.run_id;
    const updated = await post('runs/update', {
      run_id: id,
      status: 'FINISHED',
      end_time: 1700000000500,
    });
    expect(updated.json().run_info).toMatchObject({ status: 'FINISHED', end_time: 1700000000500 });
    expect((await post('runs/delete', { run_id: id })).body).toBe('{}');
    expect((await get('runs/get', { run_id: id })).json().run.info.lifecycle_stage).toBe('deleted');
    expect(errorOf(await post('runs/set-tag', { run_id: id, key: 'k', value: 'v' }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    expect((await post('runs/restore', { run_id: id })).body).toBe('{}');
    expect(errorOf(await get('runs/get', { run_id: 'f'.repeat(32) }))).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
    expect(errorOf(await post('runs/create', { experiment_id: '77' }))).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
    expect(errorOf(await post('runs/update', { run_id: id, status: 'DONE' }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
  });

  it('runs: log-metric, log-parameter, set-tag, delete-tag and log-batch', async () => {
    const id = await newRun();
    expect(
      (
        await post('runs/log-metric', {
          run_id: id,
          key: 'loss',
          value: 0.5,
          timestamp: 10,
          step: 1,
        })
      ).body,
    ).toBe('{}');
    // Protobuf-JSON clients send int64 as strings and NaN as "NaN".
    await post('runs/log-metric', {
      run_uuid: id,
      key: 'loss',
      value: 'NaN',
      timestamp: '11',
      step: '2',
    });
    await post('runs/log-metric', { run_id: id, key: 'inf', value: 'Infinity', timestamp: 1 });
    expect((await post('runs/log-parameter', { run_id: id, key: 'lr', value: '0.1' })).body).toBe(
      '{}',
    );
    expect(
      (await post('runs/log-parameter', { run_id: id, key: 'lr', value: '0.1' })).statusCode,
    ).toBe(200);
    expect(
      errorOf(await post('runs/log-parameter', { run_id: id, key: 'lr', value: '0.2' })),
    ).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    await post('runs/set-tag', { run_id: id, key: 'doomed', value: 'x' });
    expect((await post('runs/delete-tag', { run_id: id, key: 'doomed' })).body).toBe('{}');
    expect(errorOf(await post('runs/delete-tag', { run_id: id, key: 'doomed' }))).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
    const batch = await post('runs/log-batch', {
      run_id: id,
      metrics: [
        { key: 'acc', value: 0.9, timestamp: 5, step: 0 },
        { key: 'acc', value: 0.95, timestamp: 6, step: 1 },
      ],
      params: [{ key: 'depth', value: '6' }],
      tags: [{ key: 'stage', value: 'dev' }],
    });
    expect(batch.body).toBe('{}');
    const data = (await get('runs/get', { run_id: id })).json().run.data;
    expect(data.metrics).toEqual([
      { key: 'acc', value: 0.95, timestamp: 6, step: 1 },
      { key: 'inf', value: 'Infinity', timestamp: 1, step: 0 },
      { key: 'loss', value: 'NaN', timestamp: 11, step: 2 },
    ]);
    expect(data.params).toEqual([
      { key: 'depth', value: '6' },
      { key: 'lr', value: '0.1' },
    ]);
    expect(errorOf(await post('runs/log-metric', { run_id: id, key: 'x', value: 1 }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    expect(
      (await post('runs/log-metric', { run_id: id, key: 'x', value: 1 })).json().message,
    ).toMatch(/'timestamp'/);
    expect(errorOf(await post('runs/log-metric', { key: 'x', value: 1, timestamp: 1 }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    expect(
      errorOf(
        await post('runs/log-metric', { run_id: id, key: 'bad;key', value: 1, timestamp: 1 }),
      ),
    ).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      key: 'm',
      value: i,
      timestamp: 1,
      step: i,
    }));
    expect(errorOf(await post('runs/log-batch', { run_id: id, metrics: tooMany }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    expect(errorOf(await post('runs/log-batch', { run_id: id, metrics: 'nope' }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
  });

  it('metrics/get-history returns every point, paged on request', async () => {
    const id = await newRun();
    const metrics = Array.from({ length: 25 }, (_, i) => ({
      key: 'loss',
      value: 1 / (i + 1),
      timestamp: 100 + i,
      step: i,
    }));
    await post('runs/log-batch', { run_id: id, metrics });
    const all = (await get('metrics/get-history', { run_id: id, metric_key: 'loss' })).json();
    expect(all.metrics).toHaveLength(25);
    expect(all.metrics[0]).toEqual({ key: 'loss', value: 1, timestamp: 100, step: 0 });
    expect(all.next_page_token).toBeUndefined();
    const seen: number[] = [];
    let token: string | undefined;
    do {
      const page = (
        await get('metrics/get-history', {
          run_id: id,
          metric_key: 'loss',
          max_results: '10',
          ...(token ? { page_token: token } : {}),
        })
      ).json();
      seen.push(...page.metrics.map((m: { step: number }) => m.step));
      token = page.next_page_token;
    } while (token);
    expect(seen).toEqual(metrics.map((m) => m.step));
    expect((await get('metrics/get-history', { run_id: id, metric_key: 'none' })).body).toBe('{}');
    expect(errorOf(await get('metrics/get-history', { run_id: id }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    expect(
      errorOf(await get('metrics/get-history', { run_id: 'f'.repeat(32), metric_key: 'loss' })),
    ).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });

  it('runs/search: filters, order, paging, and injection attempts as literals', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const id = await newRun({ run_name: `r${i}`, start_time: 1000 + i });
      ids.push(id);
      await post('runs/log-batch', {
        run_id: id,
        metrics: [{ key: 'rmse', value: i, timestamp: 1, step: 0 }],
        params: [{ key: 'algo', value: i < 2 ? 'gbdt' : 'linear' }],
        tags: [{ key: 'x', value: i === 0 ? "a' OR 1=1 --" : 'b' }],
      });
    }
    const names = async (payload: object) =>
      ((await post('runs/search', { experiment_ids: ['0'], ...payload })).json().runs ?? []).map(
        (r: { info: { run_name: string } }) => r.info.run_name,
      );
    expect(await names({})).toEqual(['r3', 'r2', 'r1', 'r0']);
    expect(
      await names({
        filter: "params.algo = 'gbdt' AND metrics.rmse > 0 AND attributes.status = 'RUNNING'",
      }),
    ).toEqual(['r1']);
    expect(await names({ filter: "tags.x = 'a'' OR 1=1 --'" })).toEqual(['r0']);
    expect(await names({ filter: "tags.x = 'zz'' OR ''1''=''1'" })).toEqual([]);
    expect(await names({ order_by: ['metrics.rmse ASC'], max_results: 2 })).toEqual(['r0', 'r1']);
    const page = (await post('runs/search', { experiment_ids: ['0'], max_results: 3 })).json();
    expect(page.runs).toHaveLength(3);
    const rest = (
      await post('runs/search', {
        experiment_ids: ['0'],
        max_results: 3,
        page_token: page.next_page_token,
      })
    ).json();
    expect(rest.runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual(['r0']);
    const viaGet = (
      await get('runs/search', { experiment_ids: ['0'], filter: "params.algo = 'linear'" })
    ).json();
    expect(viaGet.runs).toHaveLength(2);
    const bad = await post('runs/search', {
      experiment_ids: ['0'],
      filter: "metrics.rmse > 1 OR params.a = 'b'",
    });
    expect(errorOf(bad)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(bad.json().message).toMatch(/'OR'/);
    expect(
      errorOf(await post('runs/search', { experiment_ids: ['0'], page_token: 'garbage' })),
    ).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(
      errorOf(
        await post('runs/search', { experiment_ids: ['0'], order_by: ['metrics.rmse SIDEWAYS'] }),
      ),
    ).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('runs/create and POST /api/v1/runs take the user from the mlflow.user tag when none is given', async () => {
    const tags = [{ key: 'mlflow.user', value: 'ada' }];
    const created = (await post('runs/create', { experiment_id: '0', tags })).json().run.info;
    expect(created.user_id).toBe('ada');
    const explicit = await post('runs/create', { experiment_id: '0', user_id: 'grace', tags });
    expect(explicit.json().run.info.user_id).toBe('grace');
    const v1 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/runs',
      payload: { tags: { 'mlflow.user': 'ada' } },
    });
    expect(v1.statusCode).toBe(201);
    expect(v1.json().info.userId).toBe('ada');
    const anonymous = (await post('runs/create', { experiment_id: '0' })).json().run.info;
    expect(anonymous.user_id).toBe('');
  });

  it("runs: log-inputs keeps MLflow's 36-character digest; Gyre's API takes a whole sha256", async () => {
    const id = await newRun();
    const sha256 = '5f1c0e7a4b2d'.padEnd(64, '9');
    const dataset = (digest: string) => ({
      dataset: { name: 'housing', digest, source_type: 'gyre', source: 'housing@1' },
    });
    const long = await post('runs/log-inputs', { run_id: id, datasets: [dataset(sha256)] });
    expect(errorOf(long)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(long.json().message).toMatch(
      /^datasets\[0\]\.dataset\.digest is longer than 36 characters \(MLflow's limit\)/,
    );
    expect(
      (await post('runs/log-inputs', { run_id: id, datasets: [dataset(sha256.slice(0, 36))] }))
        .statusCode,
    ).toBe(200);

    const gyre = await t.app.inject({
      method: 'POST',
      url: `/api/v1/runs/${id}/inputs`,
      payload: {
        datasets: [
          {
            name: 'full',
            digest: sha256,
            sourceType: 'gyre',
            source: 'housing@1',
            context: 'eval',
          },
        ],
      },
    });
    expect(gyre.statusCode).toBe(204);
    const tooLong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/runs/${id}/inputs`,
      payload: { datasets: [{ name: 'x', digest: `${sha256}0`, sourceType: 'gyre', source: 'x' }] },
    });
    expect(tooLong.statusCode).toBe(400);
    const v1 = (await t.app.inject({ method: 'GET', url: `/api/v1/runs/${id}` })).json();
    expect(v1.inputs).toContainEqual(
      expect.objectContaining({ name: 'full', digest: sha256, context: 'eval' }),
    );
    // What goes out on the MLflow wire fits MLflow's limit: a prefix, which still names it.
    const inputs = (await get('runs/get', { run_id: id })).json().run.inputs.dataset_inputs as {
      dataset: { name: string; digest: string };
    }[];
    expect(inputs.find((i) => i.dataset.name === 'full')?.dataset.digest).toBe(sha256.slice(0, 36));
  });

  it('runs: log-inputs and log-model', async () => {
    const id = await newRun();
    const inputs = await post('runs/log-inputs', {
      run_id: id,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'housing',
            digest: 'abcd1234',
            source_type: 'local',
            source: '{"uri": "data.csv"}',
          },
        },
      ],
    });
    expect(inputs.body).toBe('{}');
    const run = (await get('runs/get', { run_id: id })).json().run;
    expect(run.inputs).toEqual({
      dataset_inputs: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'housing',
            digest: 'abcd1234',
            source_type: 'local',
            source: '{"uri": "data.csv"}',
          },
        },
      ],
    });
    expect(
      (
        await post('runs/search', {
          experiment_ids: ['0'],
          filter: "datasets.context = 'training'",
        })
      ).json().runs,
    ).toHaveLength(1);
    expect(
      errorOf(
        await post('runs/log-inputs', { run_id: id, datasets: [{ dataset: { name: 'x' } }] }),
      ),
    ).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const model = { artifact_path: 'model', flavors: { python_function: {} }, run_id: id };
    expect(
      (await post('runs/log-model', { run_id: id, model_json: JSON.stringify(model) })).body,
    ).toBe('{}');
    const tags = (await get('runs/get', { run_id: id })).json().run.data.tags as {
      key: string;
      value: string;
    }[];
    expect(JSON.parse(tags.find((t) => t.key === 'mlflow.log-model.history')!.value)).toEqual([
      model,
    ]);
    expect(errorOf(await post('runs/log-model', { run_id: id, model_json: '{nope' }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
  });

  it('artifact proxy: upload, download, list and delete, confined to the root', async () => {
    const id = await newRun();
    const base = `/api/2.0/mlflow-artifacts/artifacts/0/${id}/artifacts`;
    // Larger than the JSON body limit: uploads stream past it.
    const big = Buffer.alloc(200 * 1024, 7);
    const put = await t.app.inject({
      method: 'PUT',
      url: `${base}/model/model.bin`,
      payload: big,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.body).toBe('{}');
    const json = await t.app.inject({
      method: 'PUT',
      url: `${base}/model/MLmodel`,
      payload: '{"a": 1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.statusCode).toBe(200);
    const down = await t.app.inject({ method: 'GET', url: `${base}/model/model.bin` });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(big)).toBe(true);
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/2.0/mlflow-artifacts/artifacts`,
      query: { path: `0/${id}/artifacts/model` },
    });
    expect(listed.json()).toEqual({
      files: [
        { path: 'MLmodel', is_dir: false, file_size: 8 },
        { path: 'model.bin', is_dir: false, file_size: big.length },
      ],
    });
    const viaRun = (await get('artifacts/list', { run_id: id })).json();
    expect(viaRun).toEqual({
      root_uri: `mlflow-artifacts:/0/${id}/artifacts`,
      files: [{ path: 'model', is_dir: true }],
    });
    const inDir = (await get('artifacts/list', { run_id: id, path: 'model' })).json();
    expect(inDir.files.map((f: { path: string }) => f.path)).toEqual([
      'model/MLmodel',
      'model/model.bin',
    ]);
    expect((await t.app.inject({ method: 'DELETE', url: `${base}/model/model.bin` })).body).toBe(
      '{}',
    );
    expect(errorOf(await t.app.inject({ method: 'GET', url: `${base}/model/model.bin` }))).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
    const escape = await t.app.inject({
      method: 'PUT',
      url: '/api/2.0/mlflow-artifacts/artifacts/0/..%2F..%2Fetc/passwd',
      payload: 'x',
    });
    expect(errorOf(escape)).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(errorOf(await get('artifacts/list', { run_id: id, path: '../..' }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
  });
});
