// Zero failed requests while a deployment changes under load: canary, promote, rollback, a
// new version and an alias move, between native and ONNX (asynchronous) runtimes, while 16
// clients keep sending requests. Synchronised on the server applying each revision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelDirectory, exportOnnx } from '../src/ml/index.js';
import {
  startTestInference,
  type TestInferenceServer,
} from '../src/server/inference/test-inference.js';
import {
  housingRows,
  putModelDirectory,
  registerModel,
  trainHousingLinear,
  HOUSING_COLUMNS,
} from '../src/serving/test-models.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';

describe('hot swap under load', () => {
  let t: TestGyre;
  let served: TestInferenceServer;
  const linear = trainHousingLinear();
  const columns = linear.inputs.map((i) => i.name);
  const rows = housingRows()
    .rows.slice(0, 4)
    .map((r) => columns.map((c) => r[HOUSING_COLUMNS.indexOf(c as never)] ?? 0));

  beforeAll(async () => {
    t = await createTestGyre('sqlite');
    await registerModel(t.gyre, 'housing', linear); // 1: native
    // 2: the same model as ONNX only (an asynchronous runtime, so draining matters)
    const files = buildModelDirectory(linear, {
      modelUuid: 'onnx',
      createdAt: new Date(0),
      onnx: { bytes: exportOnnx(linear.predictor), opset: 17 },
    });
    files.set('MLmodel', String(files.get('MLmodel')).replace(/^ {2}gyre:\n( {4}.*\n)+/m, ''));
    files.delete('model.gyre.json');
    await putModelDirectory(t.gyre.artifacts, 'onnx-housing', files);
    await t.gyre.registry.createVersion({
      name: 'housing',
      source: t.gyre.artifacts.uriOf('onnx-housing'),
    });
    await registerModel(t.gyre, 'housing', linear); // 3: native again
    await t.gyre.registry.setAlias('housing', 'champion', 1);
    await t.gyre.serving.deployments.deploy({ name: 'housing', model: 'housing@champion' });
    served = await startTestInference(t.gyre);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  it('answers every request with a 2xx while revisions swap', async () => {
    const { deployments } = t.gyre.serving;
    const statuses = new Map<number, number>();
    const versions = new Set<string>();
    const waiters = new Map<string, () => void>();
    /** Resolves once some client got an answer from `version` (so each one really served). */
    const answeredBy = (version: string) =>
      versions.has(version) ? Promise.resolve() : new Promise<void>((r) => waiters.set(version, r));
    let changing = true;
    const body = JSON.stringify({ dataframe_split: { columns, data: rows } });
    const client = async () => {
      while (changing) {
        const res = await fetch(`${served.url}/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const version = res.headers.get('x-gyre-model-version') ?? '';
        versions.add(version);
        waiters.get(version)?.();
      }
    };
    const clients = Array.from({ length: 16 }, client);
    const applied = async (revision: number) => {
      await served.server.sync();
      expect(served.server.table('housing')?.revision).toBe(revision);
    };
    await t.gyre.dispatcher.drain();
    await deployments.deploy({ name: 'housing', model: 'housing/2', canary: 30 });
    await applied(2);
    await answeredBy('2');
    await deployments.promote('housing');
    await applied(3);
    await deployments.rollback('housing');
    await applied(4);
    await deployments.deploy({ name: 'housing', model: 'housing@champion' });
    await applied(5);
    await t.gyre.registry.setAlias('housing', 'champion', 3);
    await t.gyre.dispatcher.drain();
    await applied(6);
    await answeredBy('3');
    await deployments.deploy({ name: 'housing', model: 'housing/2' });
    await applied(7);
    changing = false;
    await Promise.all(clients);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(Object.fromEntries(statuses)).toEqual({ 200: total });
    expect(total).toBeGreaterThan(16);
    expect(versions).toEqual(new Set(['1', '2', '3']));
  });
});
