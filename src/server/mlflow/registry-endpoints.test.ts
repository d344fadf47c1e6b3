// Contract tests for MLflow's model-registry endpoints, written from MLflow's REST API docs and
// model_registry.proto: response shapes as protobuf-JSON, and error codes for missing or
// invalid fields. Every test runs on SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import {
  createModelWithVersions,
  errorOf,
  INVALID,
  MISSING,
  MLFLOW_API,
  T0,
  useRegistryMlflowApp,
} from './test-mlflow-app.js';

describeEachDatabase('MLflow registry endpoints', (ctx) => {
  const t = useRegistryMlflowApp(ctx);
  const { post, get } = t;

  const modelWithVersions = (name: string, count: number) =>
    createModelWithVersions(t, name, count);

  it('registered-models/create answers the RegisteredModel message', async () => {
    const res = await post('registered-models/create', {
      name: 'fraud',
      description: 'card fraud',
      tags: [{ key: 'team', value: 'risk' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      registered_model: {
        name: 'fraud',
        creation_timestamp: T0,
        last_updated_timestamp: T0,
        description: 'card fraud',
        tags: [{ key: 'team', value: 'risk' }],
      },
    });
    expect(errorOf(await post('registered-models/create', { name: 'fraud' }))).toEqual([
      400,
      'RESOURCE_ALREADY_EXISTS',
    ]);
    const missing = await post('registered-models/create', {});
    expect(errorOf(missing)).toEqual(INVALID);
    expect(missing.json().message).toMatch(/'name'/);
    expect(errorOf(await post('registered-models/create', { name: { first: 'x' } }))).toEqual(
      INVALID,
    );
    expect(
      errorOf(await post('registered-models/create', { name: 'x', tags: [{ value: 'v' }] })),
    ).toEqual(INVALID);
    const noType = await t.app.inject({
      method: 'POST',
      url: `${MLFLOW_API}/registered-models/create`,
      payload: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(errorOf(noType)).toEqual(INVALID);
  });

  it('registered-models/get includes latest_versions per stage and aliases', async () => {
    await modelWithVersions('m', 2);
    await post('model-versions/transition-stage', {
      name: 'm',
      version: '1',
      stage: 'Production',
      archive_existing_versions: false,
    });
    await post('registered-models/alias', { name: 'm', alias: 'champion', version: '1' });
    const res = await get('registered-models/get', { name: 'm' });
    expect(res.statusCode).toBe(200);
    const model = res.json().registered_model;
    expect(model.latest_versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
    expect(model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    expect(errorOf(await get('registered-models/get', { name: 'nope' }))).toEqual(MISSING);
    expect(errorOf(await get('registered-models/get', {}))).toEqual(INVALID);
  });

  it('registered-models/rename and update', async () => {
    await modelWithVersions('a', 1);
    await post('registered-models/create', { name: 'b' });
    const renamed = await post('registered-models/rename', { name: 'a', new_name: 'c' });
    expect(renamed.json().registered_model.name).toBe('c');
    expect((await get('model-versions/get', { name: 'c', version: '1' })).statusCode).toBe(200);
    expect(errorOf(await post('registered-models/rename', { name: 'c', new_name: 'b' }))).toEqual([
      400,
      'RESOURCE_ALREADY_EXISTS',
    ]);
    expect(errorOf(await post('registered-models/rename', { name: 'c' }))).toEqual(INVALID);
    expect(errorOf(await post('registered-models/rename', { name: 'z', new_name: 'y' }))).toEqual(
      MISSING,
    );
    const updated = await post(
      'registered-models/update',
      { name: 'c', description: 'd' },
      'PATCH',
    );
    expect(updated.json().registered_model).toMatchObject({ name: 'c', description: 'd' });
    expect(errorOf(await post('registered-models/update', { name: 'z' }, 'PATCH'))).toEqual(
      MISSING,
    );
  });

  it('registered-models/delete answers {} and removes the model', async () => {
    await modelWithVersions('gone', 1);
    const res = await post('registered-models/delete', { name: 'gone' }, 'DELETE');
    expect([res.statusCode, res.body]).toEqual([200, '{}']);
    expect(errorOf(await get('registered-models/get', { name: 'gone' }))).toEqual(MISSING);
    expect(errorOf(await post('registered-models/delete', { name: 'gone' }, 'DELETE'))).toEqual(
      MISSING,
    );
  });

  it('registered-models/search pages with next_page_token and answers {} when empty', async () => {
    for (const name of ['m1', 'm2', 'm3']) await post('registered-models/create', { name });
    const first = await get('registered-models/search', { max_results: '2' });
    expect(first.json().registered_models.map((m: { name: string }) => m.name)).toEqual([
      'm1',
      'm2',
    ]);
    const second = await get('registered-models/search', {
      max_results: '2',
      page_token: first.json().next_page_token,
    });
    expect(second.json()).toEqual({
      registered_models: [{ name: 'm3', creation_timestamp: T0, last_updated_timestamp: T0 }],
    });
    expect((await get('registered-models/search', { filter: "name = 'none'" })).body).toBe('{}');
    const ordered = await get('registered-models/search', { order_by: ['name DESC'] });
    expect(ordered.json().registered_models[0].name).toBe('m3');
    expect(errorOf(await get('registered-models/search', { filter: 'name = ' }))).toEqual(INVALID);
    expect(errorOf(await get('registered-models/search', { max_results: '5000' }))).toEqual(
      INVALID,
    );
    expect(errorOf(await get('registered-models/search', { max_results: 'ten' }))).toEqual(INVALID);
  });

  it('registered-models/set-tag and delete-tag', async () => {
    await post('registered-models/create', { name: 't' });
    expect(
      (await post('registered-models/set-tag', { name: 't', key: 'k', value: 'v' })).body,
    ).toBe('{}');
    expect(
      (await get('registered-models/get', { name: 't' })).json().registered_model.tags,
    ).toEqual([{ key: 'k', value: 'v' }]);
    expect(
      (await post('registered-models/delete-tag', { name: 't', key: 'k' }, 'DELETE')).body,
    ).toBe('{}');
    expect(errorOf(await post('registered-models/set-tag', { name: 't', value: 'v' }))).toEqual(
      INVALID,
    );
    expect(
      errorOf(await post('registered-models/set-tag', { name: 'nope', key: 'k', value: 'v' })),
    ).toEqual(MISSING);
  });

  it('registered-models/alias sets, gets, re-points and deletes', async () => {
    await modelWithVersions('al', 2);
    expect(
      (await post('registered-models/alias', { name: 'al', alias: 'prod', version: '1' })).body,
    ).toBe('{}');
    await post('registered-models/alias', { name: 'al', alias: 'prod', version: '2' });
    const got = await get('registered-models/alias', { name: 'al', alias: 'prod' });
    expect(got.json().model_version).toMatchObject({ version: '2', aliases: ['prod'] });
    await post('registered-models/alias', { name: 'al', alias: 'prod' }, 'DELETE');
    expect(errorOf(await get('registered-models/alias', { name: 'al', alias: 'prod' }))).toEqual(
      MISSING,
    );
    expect(
      errorOf(await post('registered-models/alias', { name: 'al', alias: 'latest', version: '1' })),
    ).toEqual(INVALID);
    expect(
      errorOf(await post('registered-models/alias', { name: 'al', alias: 'x', version: '9' })),
    ).toEqual(MISSING);
    expect(errorOf(await post('registered-models/alias', { name: 'al', alias: 'x' }))).toEqual(
      INVALID,
    );
  });

  it('registered-models/get-latest-versions by POST and GET, filtered by stage', async () => {
    await modelWithVersions('lv', 3);
    await post('model-versions/transition-stage', {
      name: 'lv',
      version: '2',
      stage: 'Staging',
      archive_existing_versions: false,
    });
    const all = await post('registered-models/get-latest-versions', { name: 'lv' });
    expect(
      all
        .json()
        .model_versions.map((v: { version: string; current_stage: string }) => [
          v.current_stage,
          v.version,
        ]),
    ).toEqual([
      ['None', '3'],
      ['Staging', '2'],
    ]);
    const staging = await get('registered-models/get-latest-versions', {
      name: 'lv',
      stages: ['Staging'],
    });
    expect(staging.json().model_versions.map((v: { version: string }) => v.version)).toEqual(['2']);
    expect(
      errorOf(
        await post('registered-models/get-latest-versions', { name: 'lv', stages: ['Gold'] }),
      ),
    ).toEqual(INVALID);
    expect(errorOf(await post('registered-models/get-latest-versions', { name: 'x' }))).toEqual(
      MISSING,
    );
  });

  it('serves the same endpoints under /ajax-api', async () => {
    await post('registered-models/create', { name: 'ajax' });
    const res = await t.app.inject('/ajax-api/2.0/mlflow/registered-models/get?name=ajax');
    expect(res.json().registered_model.name).toBe('ajax');
  });
});
