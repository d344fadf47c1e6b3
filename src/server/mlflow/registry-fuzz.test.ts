// Bad input to any MLflow registry endpoint is a 4xx with MLflow's error body, never a 500:
// every endpoint gets every field replaced by values of the wrong type, shape or range.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../db/test-database.js';
import { createTestGyre, type TestGyre } from '../../test-gyre.js';
import { registerMlflowApi } from './mlflow-plugin.js';
import { registerRegistryEndpoints } from './registry-endpoints.js';

const ENDPOINTS: [string, string, Record<string, unknown>][] = [
  [
    'POST',
    'registered-models/create',
    { name: 'm', description: 'd', tags: [{ key: 'k', value: 'v' }] },
  ],
  ['GET', 'registered-models/get', { name: 'm' }],
  ['POST', 'registered-models/rename', { name: 'm', new_name: 'n' }],
  ['PATCH', 'registered-models/update', { name: 'm', description: 'd' }],
  ['DELETE', 'registered-models/delete', { name: 'm' }],
  [
    'GET',
    'registered-models/search',
    { filter: "name = 'm'", max_results: 5, order_by: ['name'], page_token: 'x' },
  ],
  ['POST', 'registered-models/get-latest-versions', { name: 'm', stages: ['Production'] }],
  ['POST', 'registered-models/set-tag', { name: 'm', key: 'k', value: 'v' }],
  ['DELETE', 'registered-models/delete-tag', { name: 'm', key: 'k' }],
  ['POST', 'registered-models/alias', { name: 'm', alias: 'a', version: '1' }],
  ['DELETE', 'registered-models/alias', { name: 'm', alias: 'a' }],
  ['GET', 'registered-models/alias', { name: 'm', alias: 'a' }],
  [
    'POST',
    'model-versions/create',
    {
      name: 'm',
      source: 's3://b/x',
      run_id: 'r',
      run_link: 'l',
      description: 'd',
      tags: [{ key: 'k', value: 'v' }],
    },
  ],
  ['GET', 'model-versions/get', { name: 'm', version: '1' }],
  ['PATCH', 'model-versions/update', { name: 'm', version: '1', description: 'd' }],
  ['DELETE', 'model-versions/delete', { name: 'm', version: '1' }],
  [
    'GET',
    'model-versions/search',
    { filter: "name = 'm'", max_results: 5, order_by: ['name'], page_token: 'x' },
  ],
  ['POST', 'model-versions/set-tag', { name: 'm', version: '1', key: 'k', value: 'v' }],
  ['DELETE', 'model-versions/delete-tag', { name: 'm', version: '1', key: 'k' }],
  [
    'POST',
    'model-versions/transition-stage',
    { name: 'm', version: '1', stage: 'Staging', archive_existing_versions: true },
  ],
  ['GET', 'model-versions/get-download-uri', { name: 'm', version: '1' }],
];

const BAD_VALUES: unknown[] = [
  null,
  '',
  ' ',
  '../..',
  'x'.repeat(6000),
  -1,
  0,
  1e300,
  1.5,
  'NaN',
  true,
  {},
  { nested: [1] },
  [],
  [1, 'a', null],
  [{ key: 1 }],
  "' OR 1=1 --",
  '\u0000',
];

describe.each(TEST_DIALECTS)(
  'MLflow registry endpoints refuse bad input without a 500 [%s]',
  (dialect) => {
    let test: TestGyre;
    let app: FastifyInstance;
    beforeAll(async () => {
      test = await createTestGyre(dialect);
      const { registry } = test.gyre;
      app = Fastify();
      await registerMlflowApi(app, { ...test.gyre, version: '0' }, [registerRegistryEndpoints]);
      await registry.createModel({ name: 'm' });
      await registry.createVersion({ name: 'm', source: 's3://b/1' });
    });
    afterAll(async () => {
      await app.close();
      await test.close();
    });

    it.each(ENDPOINTS)('%s %s', async (method, path, valid) => {
      for (const field of Object.keys(valid)) {
        for (const bad of BAD_VALUES) {
          const args = { ...valid, [field]: bad };
          const res =
            method === 'GET'
              ? await app.inject({
                  method,
                  url: `/api/2.0/mlflow/${path}`,
                  query: Object.fromEntries(
                    Object.entries(args)
                      .filter(([, v]) => v !== null && typeof v !== 'object')
                      .map(([k, v]) => [k, String(v)]),
                  ),
                })
              : await app.inject({
                  method: method as 'POST' | 'PATCH' | 'DELETE',
                  url: `/api/2.0/mlflow/${path}`,
                  payload: args,
                });
          expect(res.statusCode, `${field}=${JSON.stringify(bad)}: ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400)
            expect(Object.keys(res.json()).sort()).toEqual(['error_code', 'message']);
        }
      }
    });
  },
);
