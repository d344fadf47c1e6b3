// Every inference protocol Gyre speaks, over HTTP against real deployments: MLflow scoring
// (all four JSON shapes and CSV), the Open Inference Protocol v2 and KServe v1 — answers,
// headers, and the error shapes each protocol's clients expect, naming the bad column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestInference,
  type TestInferenceServer,
} from '../src/server/inference/test-inference.js';
import {
  HOUSING_COLUMNS,
  housingRecord,
  housingRows,
  registerModel,
  trainHousingGbdt,
  trainHousingLinear,
} from '../src/serving/test-models.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';

const model = trainHousingGbdt({ rounds: 10 });
const linear = trainHousingLinear();
const rows = housingRows().rows.slice(0, 3);
const expected = model.predictColumns(HOUSING_COLUMNS.map((_, c) => rows.map((r) => r[c])));
const LINEAR_COLUMNS = linear.inputs.map((i) => i.name);

describe('inference protocols', () => {
  let t: TestGyre;
  let served: TestInferenceServer;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${served.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (path: string) => fetch(`${served.url}${path}`);

  beforeAll(async () => {
    t = await createTestGyre('sqlite');
    await registerModel(t.gyre, 'housing', model);
    await registerModel(t.gyre, 'linear', linear);
    const { deployments } = t.gyre.serving;
    await deployments.deploy({ name: 'housing', model: 'housing/1' });
    await deployments.deploy({ name: 'strict', model: 'housing/1', unknownCategory: 'error' });
    await deployments.deploy({ name: 'linear', model: 'linear/1' });
    served = await startTestInference(t.gyre);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  const expectPredictions = (predictions: number[], n = 3) => {
    expect(predictions).toHaveLength(n);
    predictions.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 10));
  };

  describe('MLflow scoring', () => {
    const invoke = (body: unknown, headers: Record<string, string> = {}) =>
      post('/invocations', body, { 'x-gyre-deployment': 'housing', ...headers });

    it('answers dataframe_split (in any column order), with the version and a request id', async () => {
      const res = await invoke({ dataframe_split: { columns: HOUSING_COLUMNS, data: rows } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-gyre-model-version')).toBe('1');
      expect(res.headers.get('x-request-id')).toMatch(/\S+/);
      expectPredictions(((await res.json()) as { predictions: number[] }).predictions);
      const reversed = [...HOUSING_COLUMNS].reverse();
      const again = await invoke(
        { dataframe_split: { columns: reversed, data: rows.map((r) => [...r].reverse()) } },
        { 'x-request-id': 'mine-1' },
      );
      expect(again.headers.get('x-request-id')).toBe('mine-1');
      expectPredictions(((await again.json()) as { predictions: number[] }).predictions);
    });

    it('answers dataframe_records, instances, inputs and text/csv alike', async () => {
      const records = [0, 1, 2].map((i) => housingRecord(i));
      const columns = Object.fromEntries(HOUSING_COLUMNS.map((c, k) => [c, rows.map((r) => r[k])]));
      for (const body of [
        { dataframe_records: records },
        { instances: records },
        { instances: rows },
        { inputs: columns },
      ]) {
        const res = await invoke(body);
        expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(200);
        expectPredictions(((await res.json()) as { predictions: number[] }).predictions);
      }
      const csv = [
        HOUSING_COLUMNS.join(','),
        ...rows.map((r) => r.map((v) => v ?? '').join(',')),
      ].join('\n');
      const res = await invoke(csv, { 'content-type': 'text/csv' });
      expect(res.status).toBe(200);
      expectPredictions(((await res.json()) as { predictions: number[] }).predictions);
    });

    it('refuses bad input with 400 and MLflow error bodies naming the column', async () => {
      const cases: [unknown, RegExp, Record<string, string>?][] = [
        [
          { dataframe_split: { columns: HOUSING_COLUMNS.slice(1), data: [rows[0].slice(1)] } },
          /"longitude".*missing/,
        ],
        [
          { dataframe_records: [{ ...housingRecord(0), median_income: 'lots' }] },
          /"median_income".*expected a number.*"lots"/,
        ],
        [
          { dataframe_records: [{ ...housingRecord(0), ocean_proximity: 7 }] },
          /"ocean_proximity".*expected a string/,
        ],
        [
          { dataframe_split: { columns: HOUSING_COLUMNS, data: [rows[0].slice(1)] } },
          /dataframe_split\.data\[0\]/,
        ],
        ['{"dataframe_split": ', /not valid JSON/],
        [{ dataframe_records: [], instances: [] }, /exactly one of/],
        [{ something: 1 }, /exactly one of/],
        ['a,b\n1,2', /only supports the content types/, { 'content-type': 'text/plain' }],
      ];
      for (const [body, message, headers] of cases) {
        const res = await invoke(body, headers);
        expect(res.status, String(message)).toBe(400);
        const error = (await res.json()) as { error_code: string; message: string };
        expect(error.error_code).toBe('BAD_REQUEST');
        expect(error.message).toMatch(message);
      }
      // An unknown category: ignored by default (read as missing), refused where the policy says so.
      const odd = { dataframe_records: [{ ...housingRecord(0), ocean_proximity: 'ON THE MOON' }] };
      expect((await invoke(odd)).status).toBe(200);
      const strict = await invoke(odd, { 'x-gyre-deployment': 'strict' });
      expect(strict.status).toBe(400);
      expect(((await strict.json()) as { message: string }).message).toMatch(
        /"ocean_proximity".*unknown category "ON THE MOON"/,
      );
      // NaN (null) where the model cannot take it: a linear model without imputation.
      const res = await invoke(
        {
          dataframe_split: {
            columns: LINEAR_COLUMNS,
            data: [LINEAR_COLUMNS.map((_, i) => (i === 2 ? null : 1))],
          },
        },
        { 'x-gyre-deployment': 'linear' },
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(
        new RegExp(`"${LINEAR_COLUMNS[2]}".*missing values are not allowed`),
      );
    });

    it('needs a deployment name when several are served; /ping, /health and /version answer', async () => {
      const res = await post('/invocations', { instances: rows });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/x-gyre-deployment/);
      const byPath = await post('/deployments/housing/invocations', { instances: rows });
      expect(byPath.status).toBe(200);
      expect((await get('/ping')).status).toBe(200);
      expect((await get('/health')).status).toBe(200);
      expect(await (await get('/version')).text()).toBe('0.0.0-test');
    });
  });

  describe('Open Inference Protocol v2', () => {
    const tensors = (data = rows) =>
      HOUSING_COLUMNS.map((name, c) => ({
        name,
        datatype: c === 8 ? 'BYTES' : 'FP64',
        shape: [data.length],
        data: data.map((r) => r[c]),
      }));

    it('reports server and model metadata with typed inputs and outputs', async () => {
      expect(await (await get('/v2')).json()).toMatchObject({
        name: 'gyre',
        version: '0.0.0-test',
      });
      expect(await (await get('/v2/health/live')).json()).toEqual({ live: true });
      expect(await (await get('/v2/health/ready')).json()).toEqual({ ready: true });
      const meta = await get('/v2/models/housing');
      expect(meta.status).toBe(200);
      expect(await meta.json()).toMatchObject({
        name: 'housing',
        versions: ['1'],
        platform: 'gyre-gyre',
        inputs: expect.arrayContaining([
          { name: 'median_income', datatype: 'FP64', shape: [-1] },
          { name: 'ocean_proximity', datatype: 'BYTES', shape: [-1] },
        ]),
        outputs: [{ name: 'predict', datatype: 'FP64', shape: [-1] }],
      });
      expect((await get('/v2/models/housing/versions/1')).status).toBe(200);
      expect(await (await get('/v2/models/housing/ready')).json()).toEqual({
        name: 'housing',
        ready: true,
      });
      const missing = await get('/v2/models/housing/versions/9');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: expect.stringContaining('version 9') });
      expect((await get('/v2/models/nope')).status).toBe(404);
    });

    it('infers from one tensor per column, echoing the id, with named FP64 outputs', async () => {
      const res = await post('/v2/models/housing/infer', {
        id: 'r-1',
        inputs: tensors(),
        outputs: [{ name: 'predict' }],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-gyre-model-version')).toBe('1');
      const body = (await res.json()) as { outputs: { data: number[] }[] };
      expect(body).toMatchObject({
        model_name: 'housing',
        model_version: '1',
        id: 'r-1',
        outputs: [{ name: 'predict', datatype: 'FP64', shape: [3] }],
      });
      expectPredictions(body.outputs[0].data);
      const pinned = await post('/v2/models/housing/versions/1/infer', { inputs: tensors() });
      expect(pinned.status).toBe(200);
      // Nested row-major data and [N, 1] shapes are the same tensor.
      const nested = tensors().map((t) => ({ ...t, shape: [3, 1], data: t.data.map((v) => [v]) }));
      expectPredictions(
        (
          (await (await post('/v2/models/housing/infer', { inputs: nested })).json()) as {
            outputs: { data: number[] }[];
          }
        ).outputs[0].data,
      );
    });

    it('infers from one [N, columns] tensor for an all-numeric model', async () => {
      const data = [LINEAR_COLUMNS.map(() => 1), LINEAR_COLUMNS.map(() => 2)];
      const res = await post('/v2/models/linear/infer', {
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [2, LINEAR_COLUMNS.length], data: data.flat() },
        ],
      });
      expect(res.status).toBe(200);
      const out = ((await res.json()) as { outputs: { data: number[] }[] }).outputs[0].data;
      const want = linear.predictColumns(LINEAR_COLUMNS.map((_, c) => data.map((r) => r[c])));
      out.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    });

    it('refuses bad tensors with 400 {"error"} naming the input', async () => {
      const bad: [unknown, RegExp][] = [
        [
          {
            inputs: tensors().map((t) =>
              t.name === 'ocean_proximity' ? { ...t, datatype: 'FP64', data: [1, 2, 3] } : t,
            ),
          },
          /"ocean_proximity".*expected a string/,
        ],
        [
          {
            inputs: tensors().map((t) =>
              t.name === 'housing_median_age' ? { ...t, datatype: 'INT8', data: [1, 2, 300] } : t,
            ),
          },
          /housing_median_age.*data\[2\].*-128 to 127/,
        ],
        [
          { inputs: tensors().map((t) => (t.name === 'latitude' ? { ...t, shape: [4] } : t)) },
          /latitude.*shape \[4\] needs 4/,
        ],
        [{ inputs: tensors().filter((t) => t.name !== 'total_rooms') }, /"total_rooms".*missing/],
        [
          {
            inputs: tensors().map((t) =>
              t.name === 'population' ? { ...t, datatype: 'COMPLEX' } : t,
            ),
          },
          /population.*datatype/,
        ],
        [{ inputs: tensors(), outputs: [{ name: 'proba' }] }, /no output "proba"/],
        [{ inputs: [] }, /inputs/],
        ['{', /not valid JSON/],
      ];
      for (const [body, message] of bad) {
        const res = await post('/v2/models/housing/infer', body);
        expect(res.status, String(message)).toBe(400);
        const error = (await res.json()) as { error: string };
        expect(Object.keys(error)).toEqual(['error']);
        expect(error.error).toMatch(message);
      }
      const unknown = await post('/v2/models/nope/infer', { inputs: tensors() });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: expect.stringContaining('nope') });
    });
  });

  describe('KServe v1', () => {
    it('answers model status and :predict with instances; errors as {"error"}', async () => {
      expect(await (await get('/v1/models/housing')).json()).toEqual({
        name: 'housing',
        ready: true,
      });
      expect(((await (await get('/v1/models')).json()) as { models: string[] }).models).toContain(
        'housing',
      );
      const res = await post('/v1/models/housing:predict', {
        instances: [0, 1, 2].map((i) => housingRecord(i)),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-gyre-model-version')).toBe('1');
      expectPredictions(((await res.json()) as { predictions: number[] }).predictions);
      const bad = await post('/v1/models/housing:predict', {
        instances: [{ ...housingRecord(0), latitude: 'north' }],
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: expect.stringContaining('"latitude"') });
      expect((await get('/v1/models/nope')).status).toBe(404);
    });
  });
});
