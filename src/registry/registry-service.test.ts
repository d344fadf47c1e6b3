import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openArtifactStore, type ArtifactStore } from '../artifacts/index.js';
import { fixedClock } from '../core/index.js';
import { describeEachDatabase } from '../db/test-database.js';
import { KyselyRegistryStore } from './kysely-registry-store.js';
import { RegistryService } from './registry-service.js';
import type { RunLookup, RunSummary } from './types.js';

const RUN_ID = 'a'.repeat(32);
const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    python_version: 3.11.4
  sklearn:
    pickled_model: model.pkl
    sklearn_version: 1.3.0
mlflow_version: 2.7.1
model_uuid: 0f3c
run_id: ${RUN_ID}
signature:
  inputs: '[{"name": "x", "type": "double"}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
utc_time_created: '2023-09-01 10:00:00.000000'
`;

/** Stands in for tracking: the registry only sees runs through this narrow interface. */
function runsOf(runs: RunSummary[]): RunLookup & { outputs: unknown[] } {
  const outputs: unknown[] = [];
  return {
    outputs,
    getRun: async (id) => runs.find((r) => r.runId === id),
    recordModelOutput: async (runId, output) => {
      outputs.push({ runId, ...output });
    },
  };
}

describeEachDatabase('registry service', (ctx) => {
  let dir: string;
  let artifacts: ArtifactStore;
  let runs: ReturnType<typeof runsOf>;
  let registry: RegistryService;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gyre-registry-'));
    artifacts = openArtifactStore(dir);
    runs = runsOf([
      {
        runId: RUN_ID,
        artifactUri: `mlflow-artifacts:/1/${RUN_ID}/artifacts`,
        datasets: [{ name: 'housing', digest: 'abc123', context: 'training' }],
        metrics: [
          { key: 'rmse', value: 0.5, step: 3, timestamp: 1000 },
          { key: 'loss', value: NaN, step: 0, timestamp: 1000 },
          { key: 'best', value: Infinity, step: 0, timestamp: 1000 },
        ],
      },
    ]);
    registry = new RegistryService({
      store: new KyselyRegistryStore(ctx.db),
      artifacts,
      runs,
      clock: fixedClock(1_700_000_000_000, 1),
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a model with tags and refuses a second one of the same name', async () => {
    const created = await registry.createModel({
      name: 'fraud',
      description: 'card fraud',
      tags: { team: 'risk' },
    });
    expect(created).toMatchObject({
      name: 'fraud',
      description: 'card fraud',
      tags: { team: 'risk' },
      aliases: [],
      latestVersions: [],
    });
    expect(await registry.getModel('fraud')).toEqual(created);
    await expect(registry.createModel({ name: 'fraud' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(registry.createModel({ name: '' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(registry.createModel({ name: 'a/b' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(registry.getModel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('numbers versions per model and never reuses a deleted number', async () => {
    await registry.createModel({ name: 'm' });
    await registry.createModel({ name: 'other' });
    expect((await registry.createVersion({ name: 'm', source: 's3://b/1' })).version).toBe(1);
    expect((await registry.createVersion({ name: 'm', source: 's3://b/2' })).version).toBe(2);
    expect((await registry.createVersion({ name: 'other', source: 's3://b/x' })).version).toBe(1);
    await registry.deleteVersion('m', 2);
    expect((await registry.createVersion({ name: 'm', source: 's3://b/3' })).version).toBe(3);
    await expect(registry.getVersion('m', 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(registry.createVersion({ name: 'ghost', source: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('allocates distinct numbers to concurrent registrations', async () => {
    await registry.createModel({ name: 'busy' });
    const versions = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        registry.createVersion({ name: 'busy', source: `s3://b/${i}` }),
      ),
    );
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it('renames a model with its versions and refuses a taken name', async () => {
    await registry.createModel({ name: 'old' });
    await registry.createModel({ name: 'taken' });
    await registry.createVersion({ name: 'old', source: 's3://b/1' });
    const renamed = await registry.renameModel('old', 'new');
    expect(renamed.name).toBe('new');
    expect((await registry.getVersion('new', 1)).name).toBe('new');
    await expect(registry.getModel('old')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(registry.renameModel('new', 'taken')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(registry.renameModel('absent', 'x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('deletes a model with its versions, tags and aliases', async () => {
    await registry.createModel({ name: 'gone', tags: { a: 'b' } });
    await registry.createVersion({ name: 'gone', source: 's3://b/1', tags: { k: 'v' } });
    await registry.setAlias('gone', 'champion', 1);
    await registry.deleteModel('gone');
    await expect(registry.getModel('gone')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await registry.createModel({ name: 'gone' });
    expect((await registry.createVersion({ name: 'gone', source: 's3://b/1' })).version).toBe(1);
    await expect(registry.deleteModel('never')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sets, overwrites and deletes tags on models and versions', async () => {
    await registry.createModel({ name: 't' });
    await registry.createVersion({ name: 't', source: 's3://b/1' });
    await registry.setModelTag('t', 'owner', 'ann');
    await registry.setModelTag('t', 'owner', 'bob');
    await registry.setVersionTag('t', '1', 'validated', 'true');
    expect((await registry.getModel('t')).tags).toEqual({ owner: 'bob' });
    expect((await registry.getVersion('t', 1)).tags).toEqual({ validated: 'true' });
    await registry.deleteModelTag('t', 'owner');
    await registry.deleteVersionTag('t', 1, 'validated');
    await registry.deleteVersionTag('t', 1, 'never-set');
    expect((await registry.getModel('t')).tags).toEqual({});
    expect((await registry.getVersion('t', 1)).tags).toEqual({});
    await expect(registry.setModelTag('t', 'bad..', 'x')).resolves.toBeUndefined();
    await expect(registry.setModelTag('t', '../up', 'x')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(registry.setModelTag('t', 'k', 'x'.repeat(5001))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(registry.setVersionTag('t', 9, 'k', 'v')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('points an alias at one version and re-points it', async () => {
    await registry.createModel({ name: 'a' });
    await registry.createVersion({ name: 'a', source: 's3://b/1' });
    await registry.createVersion({ name: 'a', source: 's3://b/2' });
    await registry.setAlias('a', 'champion', 1);
    expect((await registry.getVersionByAlias('a', 'champion')).version).toBe(1);
    await registry.setAlias('a', 'champion', 2);
    expect((await registry.getVersionByAlias('a', 'champion')).version).toBe(2);
    expect((await registry.getVersion('a', 2)).aliases).toEqual(['champion']);
    expect((await registry.getVersion('a', 1)).aliases).toEqual([]);
    expect((await registry.getModel('a')).aliases).toEqual([{ alias: 'champion', version: 2 }]);
    await registry.deleteVersion('a', 2);
    await expect(registry.getVersionByAlias('a', 'champion')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(registry.setAlias('a', 'x', 7)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const bad of ['latest', 'LATEST', 'v3', 'has space', ''])
      await expect(registry.setAlias('a', bad, 1)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
  });

  it('moves versions through stages and archives the previous Production', async () => {
    await registry.createModel({ name: 's' });
    for (let i = 1; i <= 3; i++) await registry.createVersion({ name: 's', source: `s3://b/${i}` });
    await registry.transitionStage('s', 1, 'production');
    await registry.transitionStage('s', 2, 'Staging');
    const promoted = await registry.transitionStage('s', 3, 'Production', true);
    expect(promoted.stage).toBe('Production');
    expect((await registry.getVersion('s', 1)).stage).toBe('Archived');
    expect((await registry.getVersion('s', 2)).stage).toBe('Staging');
    const latest = await registry.getLatestVersions('s');
    expect(latest.map((v) => [v.stage, v.version])).toEqual([
      ['Staging', 2],
      ['Production', 3],
      ['Archived', 1],
    ]);
    expect((await registry.getLatestVersions('s', ['production'])).map((v) => v.version)).toEqual([
      3,
    ]);
    await expect(registry.transitionStage('s', 1, 'Prod')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(registry.transitionStage('s', 1, 'Archived', true)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('reads flavors and signature from the MLmodel under a mlflow-artifacts source', async () => {
    await artifacts.put(`mlflow/1/${RUN_ID}/artifacts/model/MLmodel`, MLMODEL);
    await registry.createModel({ name: 'ml' });
    const v = await registry.createVersion({
      name: 'ml',
      source: `mlflow-artifacts:/1/${RUN_ID}/artifacts/model`,
      runId: RUN_ID,
    });
    expect(v.status).toBe('READY');
    expect(v.metadata).toEqual({
      flavors: {
        python_function: { loader_module: 'mlflow.sklearn', python_version: '3.11.4' },
        sklearn: { pickled_model: 'model.pkl', sklearn_version: '1.3.0' },
      },
      signature: {
        inputs: [{ name: 'x', type: 'double' }],
        outputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape: [-1] } }],
      },
      modelUuid: '0f3c',
      mlflowVersion: '2.7.1',
      createdAtUtc: '2023-09-01 10:00:00.000000',
      runId: RUN_ID,
    });
  });

  it('resolves a runs:/ source through the run and snapshots its lineage', async () => {
    await artifacts.put(`mlflow/1/${RUN_ID}/artifacts/model/MLmodel`, MLMODEL);
    await registry.createModel({ name: 'lin' });
    const v = await registry.createVersion({
      name: 'lin',
      source: `runs:/${RUN_ID}/model`,
      runId: RUN_ID,
    });
    expect(v.metadata?.flavors).toHaveProperty('sklearn');
    expect(v.lineage?.datasets).toEqual([
      { name: 'housing', digest: 'abc123', context: 'training' },
    ]);
    const reread = await registry.getVersion('lin', 1);
    expect(reread.lineage?.metrics).toEqual([
      { key: 'rmse', value: 0.5, step: 3, timestamp: 1000 },
      { key: 'loss', value: NaN, step: 0, timestamp: 1000 },
      { key: 'best', value: Infinity, step: 0, timestamp: 1000 },
    ]);
    expect(runs.outputs).toEqual([{ runId: RUN_ID, name: 'lin', version: 1 }]);
    expect(await registry.getDownloadUri('lin', 1)).toBe(
      `mlflow-artifacts:/1/${RUN_ID}/artifacts/model`,
    );
    await expect(
      registry.createVersion({ name: 'lin', source: 's3://b/x', runId: 'f'.repeat(32) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('marks a version FAILED_REGISTRATION when its MLmodel is broken', async () => {
    await artifacts.put('mlflow/broken/MLmodel', 'flavors: [unclosed');
    await registry.createModel({ name: 'b' });
    const v = await registry.createVersion({ name: 'b', source: 'mlflow-artifacts:/broken' });
    expect(v.status).toBe('FAILED_REGISTRATION');
    expect(v.statusMessage).toMatch(/MLmodel is not valid YAML/);
  });

  it('never reads outside the artifact root', async () => {
    await registry.createModel({ name: 'safe' });
    const outside = await registry.createVersion({ name: 'safe', source: '/etc' });
    expect(outside).toMatchObject({ status: 'READY' });
    expect(outside.metadata).toBeUndefined();
    await expect(
      registry.createVersion({ name: 'safe', source: `${dir}/a/../../etc` }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      registry.createVersion({ name: 'safe', source: 'mlflow-artifacts:/../../etc' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // A file path inside the root is read like any other artifact.
    await artifacts.put('inside/MLmodel', 'flavors: {onnx: {onnx_version: "1.14"}}');
    const inside = await registry.createVersion({ name: 'safe', source: join(dir, 'inside') });
    expect(inside.metadata?.flavors).toEqual({ onnx: { onnx_version: '1.14' } });
  });

  it('resolves every model URI form in one place', async () => {
    await registry.createModel({ name: 'u' });
    await registry.createVersion({ name: 'u', source: 's3://b/one' });
    await registry.createVersion({ name: 'u', source: `runs:/${RUN_ID}/model` });
    await registry.createVersion({ name: 'u', source: 'models:/u/1' });
    await registry.transitionStage('u', 2, 'Production');
    await registry.setAlias('u', 'champion', 1);
    const resolve = async (uri: string) => (await registry.resolveModelUri(uri)).artifactUri;
    expect(await resolve('models:/u/1')).toBe('s3://b/one');
    expect(await resolve('models:/u@champion')).toBe('s3://b/one');
    expect(await resolve('models:/u/latest')).toBe('s3://b/one');
    expect((await registry.resolveModelUri('models:/u/latest')).modelVersion?.version).toBe(3);
    expect(await resolve('models:/u/production')).toBe(
      `mlflow-artifacts:/1/${RUN_ID}/artifacts/model`,
    );
    expect(await registry.resolveModelUri(`runs:/${RUN_ID}/model`)).toEqual({
      uri: `runs:/${RUN_ID}/model`,
      artifactUri: `mlflow-artifacts:/1/${RUN_ID}/artifacts/model`,
      storePath: `mlflow/1/${RUN_ID}/artifacts/model`,
    });
    await expect(resolve('models:/u/Staging')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolve('models:/u@nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolve('models:/u/9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolve('models:/u/Prod')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(resolve('s3://b/x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(resolve(`runs:/${'0'.repeat(32)}/m`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
