// Fuzzing the inference endpoints: mutated bodies (wrong types, missing and extra fields,
// odd shapes, broken JSON) never get a 5xx, and every 4xx is the protocol's error shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/ml/index.js';
import {
  startTestInference,
  type TestInferenceServer,
} from '../src/server/inference/test-inference.js';
import {
  HOUSING_COLUMNS,
  housingRows,
  registerModel,
  trainHousingGbdt,
} from '../src/serving/test-models.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';

const rng = new SeededRandom(10);
const pick = <T>(values: readonly T[]): T => values[Math.floor(rng.next() * values.length)];
const ODD: unknown[] = [
  null,
  true,
  -1,
  0,
  1e308,
  'x',
  '',
  [],
  {},
  [[1]],
  { a: 1 },
  'NaN',
  -0.5,
  2 ** 53 + 2,
];

/** A JSON value with one random part replaced by something odd (or removed). */
function mutate(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || rng.next() < 0.2)
      return rng.next() < 0.5 ? pick(ODD) : [...value, pick(ODD)];
    const copy = [...value];
    const i = Math.floor(rng.next() * copy.length);
    copy[i] = rng.next() < 0.7 ? mutate(copy[i]) : pick(ODD);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (keys.length === 0 || rng.next() < 0.15)
      copy[pick(['extra', 'inputs', 'data', 'shape'])] = pick(ODD);
    else {
      const key = pick(keys);
      if (rng.next() < 0.15) delete copy[key];
      else copy[key] = rng.next() < 0.7 ? mutate(copy[key]) : pick(ODD);
    }
    return copy;
  }
  return pick(ODD);
}

describe('inference endpoints under fuzzing', () => {
  let t: TestGyre;
  let served: TestInferenceServer;
  const rows = housingRows().rows.slice(0, 2);

  beforeAll(async () => {
    t = await createTestGyre('sqlite');
    await registerModel(t.gyre, 'housing', trainHousingGbdt({ rounds: 3, rows: 500 }));
    await t.gyre.serving.deployments.deploy({ name: 'housing', model: 'housing/1' });
    served = await startTestInference(t.gyre);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  const valid: [string, unknown][] = [
    ['/invocations', { dataframe_split: { columns: HOUSING_COLUMNS, data: rows } }],
    [
      '/invocations',
      {
        dataframe_records: rows.map((r) =>
          Object.fromEntries(HOUSING_COLUMNS.map((c, k) => [c, r[k]])),
        ),
      },
    ],
    [
      '/invocations',
      { inputs: Object.fromEntries(HOUSING_COLUMNS.map((c, k) => [c, rows.map((r) => r[k])])) },
    ],
    ['/v1/models/housing:predict', { instances: rows }],
    [
      '/v2/models/housing/infer',
      {
        inputs: HOUSING_COLUMNS.map((name, k) => ({
          name,
          datatype: k === 8 ? 'BYTES' : 'FP64',
          shape: [2],
          data: rows.map((r) => r[k]),
        })),
      },
    ],
  ];

  it('never answers 5xx, and answers 4xx in the protocol error shape', async () => {
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const [path, body] = pick(valid);
      let text = JSON.stringify(mutate(mutate(body)));
      if (rng.next() < 0.05) text = text.slice(0, Math.floor(rng.next() * text.length));
      const res = await fetch(`${served.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gyre-deployment': 'housing' },
        body: text,
      });
      const answer = (await res.json()) as Record<string, unknown>;
      const shaped =
        path === '/invocations'
          ? typeof answer.message === 'string' && answer.error_code === 'BAD_REQUEST'
          : typeof answer.error === 'string';
      if (res.status >= 500 || (res.status >= 400 && (res.status !== 400 || !shaped)))
        failures.push(`${res.status} ${path} ${text.slice(0, 200)} → ${JSON.stringify(answer)}`);
    }
    expect(failures).toEqual([]);
  });
});
