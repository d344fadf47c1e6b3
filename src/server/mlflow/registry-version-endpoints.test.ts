// Contract tests for MLflow's model-versions endpoints (model_registry.proto), the companion of
// registry-endpoints.test.ts: response shapes and error codes, on SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import {
  createModelWithVersions,
  errorOf,
  INVALID,
  MISSING,
  RUN,
  T0,
  useRegistryMlflowApp,
} from './test-mlflow-app.js';

describeEachDatabase('MLflow model-version endpoints', (ctx) => {
  const t = useRegistryMlflowApp(ctx);
  const { post, get } = t;

  const modelWithVersions = (name: string, count: number) =>
    createModelWithVersions(t, name, count);

  it('model-versions/create answers the ModelVersion message', async () => {
    await post('registered-models/create', { name: 'mv' });
    const res = await post('model-versions/create', {
      name: 'mv',
      source: `runs:/${RUN}/model`,
      run_id: RUN,
      description: 'first',
      tags: [{ key: 'k', value: 'v' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      model_version: {
        name: 'mv',
        version: '1',
        creation_timestamp: T0,
        last_updated_timestamp: T0,
        current_stage: 'None',
        description: 'first',
        source: `runs:/${RUN}/model`,
        run_id: RUN,
        status: 'READY',
        tags: [{ key: 'k', value: 'v' }],
      },
    });
    expect(errorOf(await post('model-versions/create', { name: 'mv' }))).toEqual(INVALID);
    expect(errorOf(await post('model-versions/create', { source: 's3://b/x' }))).toEqual(INVALID);
    expect(errorOf(await post('model-versions/create', { name: 'no', source: 's3://b' }))).toEqual(
      MISSING,
    );
    expect(
      errorOf(
        await post('model-versions/create', { name: 'mv', source: 's', run_id: 'f'.repeat(32) }),
      ),
    ).toEqual(MISSING);
  });

  it('model-versions/create reads the MLmodel file of its source', async () => {
    await t.artifacts.put(
      `mlflow/0/${RUN}/artifacts/model/MLmodel`,
      'flavors:\n  python_function: {loader_module: mlflow.sklearn}\n',
    );
    await t.artifacts.put('mlflow/bad/MLmodel', 'flavors: 3\n');
    await post('registered-models/create', { name: 'ml' });
    const ok = await post('model-versions/create', { name: 'ml', source: `runs:/${RUN}/model` });
    expect(ok.json().model_version.status).toBe('READY');
    const bad = await post('model-versions/create', {
      name: 'ml',
      source: 'mlflow-artifacts:/bad',
    });
    expect(bad.json().model_version).toMatchObject({
      status: 'FAILED_REGISTRATION',
      status_message: 'MLmodel has no flavors mapping',
    });
  });

  it('model-versions/get, update and delete', async () => {
    await modelWithVersions('g', 2);
    const got = await get('model-versions/get', { name: 'g', version: '2' });
    expect(got.json().model_version).toMatchObject({
      name: 'g',
      version: '2',
      source: 's3://bucket/g/2',
    });
    expect(errorOf(await get('model-versions/get', { name: 'g', version: '9' }))).toEqual(MISSING);
    expect(errorOf(await get('model-versions/get', { name: 'g', version: 'two' }))).toEqual(
      INVALID,
    );
    expect(errorOf(await get('model-versions/get', { name: 'g' }))).toEqual(INVALID);
    const updated = await post(
      'model-versions/update',
      { name: 'g', version: '2', description: 'better' },
      'PATCH',
    );
    expect(updated.json().model_version.description).toBe('better');
    expect((await post('model-versions/delete', { name: 'g', version: '1' }, 'DELETE')).body).toBe(
      '{}',
    );
    expect(
      errorOf(await post('model-versions/delete', { name: 'g', version: '1' }, 'DELETE')),
    ).toEqual(MISSING);
  });

  it('model-versions/search filters, orders and pages', async () => {
    await modelWithVersions('s1', 2);
    await modelWithVersions('s2', 1);
    const res = await get('model-versions/search', { filter: "name = 's1'" });
    expect(res.json().model_versions.map((v: { version: string }) => v.version)).toEqual([
      '2',
      '1',
    ]);
    const paged = await get('model-versions/search', { max_results: '2' });
    expect(paged.json().model_versions).toHaveLength(2);
    expect(typeof paged.json().next_page_token).toBe('string');
    expect((await get('model-versions/search', { filter: "run_id = 'x'" })).body).toBe('{}');
    expect(errorOf(await get('model-versions/search', { filter: 'params.a = 1' }))).toEqual(
      INVALID,
    );
  });

  it('model-versions/set-tag and delete-tag', async () => {
    await modelWithVersions('vt', 1);
    await post('model-versions/set-tag', { name: 'vt', version: '1', key: 'ok', value: 'yes' });
    expect(
      (await get('model-versions/get', { name: 'vt', version: '1' })).json().model_version.tags,
    ).toEqual([{ key: 'ok', value: 'yes' }]);
    await post('model-versions/delete-tag', { name: 'vt', version: '1', key: 'ok' }, 'DELETE');
    expect(
      (await get('model-versions/get', { name: 'vt', version: '1' })).json().model_version.tags,
    ).toBeUndefined();
    expect(
      errorOf(
        await post('model-versions/set-tag', { name: 'vt', version: '3', key: 'k', value: 'v' }),
      ),
    ).toEqual(MISSING);
    expect(
      errorOf(await post('model-versions/set-tag', { name: 'vt', key: 'k', value: 'v' })),
    ).toEqual(INVALID);
  });

  it('model-versions/transition-stage archives existing versions on request', async () => {
    await modelWithVersions('st', 2);
    const move = (version: string, stage: string, archive: boolean) =>
      post('model-versions/transition-stage', {
        name: 'st',
        version,
        stage,
        archive_existing_versions: archive,
      });
    expect((await move('1', 'production', false)).json().model_version.current_stage).toBe(
      'Production',
    );
    await move('2', 'Production', true);
    expect(
      (await get('model-versions/get', { name: 'st', version: '1' })).json().model_version
        .current_stage,
    ).toBe('Archived');
    expect(errorOf(await move('1', 'Shipping', false))).toEqual(INVALID);
    expect(
      errorOf(
        await post('model-versions/transition-stage', { name: 'st', version: '1', stage: 'None' }),
      ),
    ).toEqual(INVALID);
  });

  it('model-versions/get-download-uri resolves runs:/ sources', async () => {
    await post('registered-models/create', { name: 'dl' });
    await post('model-versions/create', { name: 'dl', source: `runs:/${RUN}/model` });
    await post('model-versions/create', { name: 'dl', source: 's3://b/m' });
    expect(
      (await get('model-versions/get-download-uri', { name: 'dl', version: '1' })).json(),
    ).toEqual({
      artifact_uri: `mlflow-artifacts:/0/${RUN}/artifacts/model`,
    });
    expect(
      (await get('model-versions/get-download-uri', { name: 'dl', version: '2' })).json(),
    ).toEqual({
      artifact_uri: 's3://b/m',
    });
    expect(
      errorOf(await get('model-versions/get-download-uri', { name: 'dl', version: '3' })),
    ).toEqual(MISSING);
  });
});
