import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, FailedPreconditionError, NotFoundError } from '../../core/index.js';
import { mlflowErrorOf } from './mlflow-errors.js';
import { registerMlflowApi, MLFLOW_PREFIXES } from './mlflow-plugin.js';
import { PUBLIC } from '../auth/route-access.js';
import type { MlflowRegistrar, MlflowServices } from './mlflow-routes.js';

const echo: MlflowRegistrar = (routes) => {
  routes.get(
    '/echo',
    async (args) => ({
      ids: args.stringList('experiment_ids'),
      max_results: args.int('max_results'),
      flag: args.bool('flag'),
      unset: undefined,
    }),
    PUBLIC,
  );
  routes.post(
    '/echo',
    async (args) => ({
      value: args.requiredDouble('value'),
      timestamp: args.requiredInt('timestamp'),
      name: args.requiredString('name'),
    }),
    PUBLIC,
  );
  routes.post('/empty', async () => ({}), PUBLIC);
  routes.get(
    '/missing',
    async () => {
      throw new NotFoundError('Run with id=abc not found');
    },
    PUBLIC,
  );
  routes.get(
    '/exists',
    async () => {
      throw new AlreadyExistsError("Experiment 'x' already exists.");
    },
    PUBLIC,
  );
  routes.get(
    '/inactive',
    async () => {
      throw new FailedPreconditionError('run abc is not active');
    },
    PUBLIC,
  );
  routes.get(
    '/bug',
    async () => {
      throw new TypeError('secret internals');
    },
    PUBLIC,
  );
};

describe('MLflow wire plumbing', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = Fastify();
    await registerMlflowApi(app, { version: '9.9.9' } as MlflowServices, [echo]);
  });
  afterEach(() => app.close());

  it.each(MLFLOW_PREFIXES)('serves %s with GET arguments from the query string', async (prefix) => {
    const res = await app.inject(
      `${prefix}/echo?experiment_ids=1&experiment_ids=2&max_results=5&flag=true`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({ ids: ['1', '2'], max_results: 5, flag: true });
  });

  it('reads protobuf-JSON bodies: int64 as strings, NaN and Infinity as strings', async () => {
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/2.0/mlflow/echo', payload });
    expect((await post({ value: 'NaN', timestamp: '1700000000000', name: 'a' })).body).toBe(
      '{"value":"NaN","timestamp":1700000000000,"name":"a"}',
    );
    expect((await post({ value: '-Infinity', timestamp: 1, name: 'a' })).json().value).toBe(
      '-Infinity',
    );
    expect((await post({ value: 1.5, timestamp: 1, name: 'a' })).json().value).toBe(1.5);
    // JavaScript clients send ids as numbers; they read as the text they stand for.
    expect((await post({ value: 1, timestamp: 1, name: 7 })).json().name).toBe('7');
    expect((await post({ value: 1, timestamp: 1, name: { a: 1 } })).statusCode).toBe(400);
  });

  it('answers {} for an empty reply and an empty JSON body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/empty',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{}');
  });

  it('refuses POST without Content-Type application/json as MLflow does', async () => {
    const missing = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/empty' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Bad Request. Content-Type header is missing.',
    });
    const form = await app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/empty',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(form.statusCode).toBe(400);
    expect(form.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('names missing and ill-typed fields with INVALID_PARAMETER_VALUE', async () => {
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/2.0/mlflow/echo', payload });
    const missing = await post({ value: 1, timestamp: 1 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(missing.json().message).toMatch(/'name'/);
    expect((await post({ value: 'abc', timestamp: 1, name: 'a' })).json().message).toMatch(
      /'value'/,
    );
    expect((await post({ value: 1, timestamp: 1.5, name: 'a' })).json().message).toMatch(
      /'timestamp'/,
    );
    const bad = await app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"value":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it("maps Gyre's catalog to MLflow's error codes and statuses", async () => {
    const missing = await app.inject('/api/2.0/mlflow/missing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Run with id=abc not found',
    });
    const exists = await app.inject('/api/2.0/mlflow/exists');
    expect([exists.statusCode, exists.json().error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    const inactive = await app.inject('/api/2.0/mlflow/inactive');
    expect([inactive.statusCode, inactive.json().error_code]).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    const bug = await app.inject('/api/2.0/mlflow/bug');
    expect(bug.statusCode).toBe(500);
    expect(bug.json().error_code).toBe('INTERNAL_ERROR');
    expect(bug.body).not.toMatch(/secret/);
    const none = await app.inject('/api/2.0/mlflow/nope');
    expect([none.statusCode, none.json().error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND']);
    expect(mlflowErrorOf('UNAVAILABLE')).toEqual({
      errorCode: 'TEMPORARILY_UNAVAILABLE',
      status: 503,
    });
  });

  it('answers /health and /version as MLflow does', async () => {
    expect((await app.inject('/health')).body).toBe('OK');
    expect((await app.inject('/version')).body).toBe('9.9.9');
  });
});
