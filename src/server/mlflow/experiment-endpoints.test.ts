// Contract tests for MLflow's experiments/* endpoints, written from MLflow's REST API docs and
// service.proto: protobuf-JSON response shapes and error codes for missing or invalid fields.
// Every test runs on SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { describeEachGyre } from '../../test-gyre.js';
import { errorOf, useTrackingMlflowApp } from './test-mlflow-app.js';

describeEachGyre('MLflow experiment endpoints', (ctx) => {
  const t = useTrackingMlflowApp(ctx);
  const { post, get } = t;

  it('experiments: create, get, get-by-name, update, tags, delete and restore', async () => {
    const created = await post('experiments/create', {
      name: 'housing',
      tags: [{ key: 'team', value: 'ml' }],
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({ experiment_id: '1' });
    const got = (await get('experiments/get', { experiment_id: '1' })).json();
    expect(got).toEqual({
      experiment: {
        experiment_id: '1',
        name: 'housing',
        artifact_location: 'mlflow-artifacts:/1',
        lifecycle_stage: 'active',
        last_update_time: expect.any(Number),
        creation_time: expect.any(Number),
        tags: [{ key: 'team', value: 'ml' }],
      },
    });
    expect((await get('experiments/get-by-name', { experiment_name: 'housing' })).json()).toEqual(
      got,
    );
    expect((await post('experiments/update', { experiment_id: '1', new_name: 'homes' })).body).toBe(
      '{}',
    );
    expect(
      (await post('experiments/set-experiment-tag', { experiment_id: '1', key: 'k', value: 'v' }))
        .body,
    ).toBe('{}');
    expect((await post('experiments/delete', { experiment_id: '1' })).body).toBe('{}');
    expect((await get('experiments/get', { experiment_id: '1' })).json().experiment).toMatchObject({
      name: 'homes',
      lifecycle_stage: 'deleted',
    });
    expect((await post('experiments/restore', { experiment_id: '1' })).body).toBe('{}');
  });

  it('experiments: MLflow error codes for duplicates, unknown ids and missing fields', async () => {
    await post('experiments/create', { name: 'dup' });
    expect(errorOf(await post('experiments/create', { name: 'dup' }))).toEqual([
      400,
      'RESOURCE_ALREADY_EXISTS',
    ]);
    expect(errorOf(await post('experiments/create', {}))).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await post('experiments/create', {})).json().message).toMatch(/'name'/);
    expect(errorOf(await get('experiments/get', { experiment_id: '99' }))).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
    expect(errorOf(await get('experiments/get'))).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(errorOf(await get('experiments/get-by-name', { experiment_name: 'nope' }))).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
    expect(errorOf(await post('experiments/create', { name: 'x'.repeat(501) }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
  });

  it('experiments: search (GET and POST), paging, view types and the pre-2.0 list', async () => {
    for (const name of ['a1', 'a2', 'b1']) await post('experiments/create', { name });
    await post('experiments/delete', { experiment_id: '3' });
    const page1 = (
      await post('experiments/search', { max_results: 2, order_by: ['name ASC'] })
    ).json();
    expect(page1.experiments.map((e: { name: string }) => e.name)).toEqual(['Default', 'a1']);
    const page2 = (
      await get('experiments/search', {
        max_results: '2',
        order_by: 'name ASC',
        page_token: page1.next_page_token,
      })
    ).json();
    expect(page2.experiments.map((e: { name: string }) => e.name)).toEqual(['a2']);
    expect(page2.next_page_token).toBeUndefined();
    const deleted = (await get('experiments/search', { view_type: 'DELETED_ONLY' })).json();
    expect(deleted.experiments.map((e: { name: string }) => e.name)).toEqual(['b1']);
    const filtered = (await post('experiments/search', { filter: "name LIKE 'a%'" })).json();
    expect(filtered.experiments).toHaveLength(2);
    expect((await post('experiments/search', { filter: "name = 'none'" })).body).toBe('{}');
    expect(errorOf(await post('experiments/search', { filter: 'name = ' }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    expect(errorOf(await post('experiments/search', { max_results: 50001 }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    expect(errorOf(await get('experiments/search', { view_type: 'SOME' }))).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    const listed = (await get('experiments/list', { view_type: 'ALL' })).json();
    expect(listed.experiments).toHaveLength(4);
  });

  it('serves the same API under /ajax-api', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/ajax-api/2.0/mlflow/experiments/get',
      query: { experiment_id: '0' },
    });
    expect(res.json().experiment.name).toBe('Default');
  });
});
