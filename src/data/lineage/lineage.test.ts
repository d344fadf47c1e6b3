import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { createDataFixture, HOUSING_CSV, type DataFixture } from '../test-data.js';
import { TransformService } from '../transforms/transform-service.js';
import type { LineageLinks, LinkedModelVersion, LinkedRun } from './lineage-links.js';
import { LineageService } from './lineage-service.js';

/** Tracking and the registry in miniature: runs that logged digests, models from runs. */
function fakeLinks(
  runs: { runId: string; digest: string }[],
  models: LinkedModelVersion[],
): LineageLinks {
  return {
    runsUsingDigest: async (digest): Promise<LinkedRun[]> =>
      runs
        .filter((r) => digest.startsWith(r.digest))
        .map((r) => ({ ...r, runName: `run ${r.runId}` })),
    modelVersionsFromRuns: async (runIds) => models.filter((m) => runIds.includes(m.runId)),
    digestsUsedByRun: async (runId) => runs.filter((r) => r.runId === runId).map((r) => r.digest),
    runOfModelVersion: async (name, version) =>
      models.find((m) => m.name === name && m.version === version)?.runId,
  };
}

describeEachDatabase('lineage', (ctx) => {
  let f: DataFixture;
  beforeEach(() => {
    f = createDataFixture(ctx.db);
  });
  afterEach(() => f.cleanup());

  it('walks dataset ← transform ← sources, and down to runs and model versions', async () => {
    const transforms = new TransformService(f.service);
    await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    const clean = await transforms.runSql({
      name: 'clean',
      sql: 'select * from h where total_bedrooms is not null',
      inputs: { h: 'housing@1' },
    });
    const split = await transforms.split({ source: 'clean@1', by: 'random', seed: 1 });
    // A run logged the train split by a 12-character digest prefix, as MLflow clients may.
    const links = fakeLinks(
      [{ runId: 'r1', digest: split.train.version.digest.slice(0, 12) }],
      [{ name: 'price', version: '3', runId: 'r1' }],
    );
    const lineage = new LineageService(f.service, links);

    const up = await lineage.graph('model_version', 'price@3', 'up');
    expect(up.root).toBe('model_version:price@3');
    const ids = up.nodes.map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'run:r1',
        'dataset:clean-train@1',
        'dataset:clean@1',
        'dataset:housing@1',
      ]),
    );
    expect(ids).not.toContain('dataset:clean-test@1');
    const t1 = `transform:${clean.version.transformId}`;
    expect(up.edges).toEqual(
      expect.arrayContaining([
        { from: 'dataset:housing@1', to: t1 },
        { from: t1, to: 'dataset:clean@1' },
        { from: 'dataset:clean-train@1', to: 'run:r1' },
        { from: 'run:r1', to: 'model_version:price@3' },
      ]),
    );

    const down = await lineage.graph('dataset', 'housing@1', 'down');
    expect(down.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining([
        'dataset:clean@1',
        'dataset:clean-train@1',
        'dataset:clean-validation@1',
        'dataset:clean-test@1',
        'run:r1',
        'model_version:price@3',
      ]),
    );
    expect(down.nodes.find((n) => n.id === 'run:r1')!.label).toBe('run r1');
    expect(down.truncated).toBe(false);

    const byId = await lineage.graph('dataset', clean.version.id, 'up');
    expect(byId.root).toBe('dataset:clean@1');
    expect(byId.nodes).toHaveLength(3);
  });

  it('covers datasets and transforms without links, and refuses unknown kinds', async () => {
    await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    const lineage = new LineageService(f.service);
    const graph = await lineage.graph('dataset', 'housing', 'down');
    expect(graph).toMatchObject({ root: 'dataset:housing@1', edges: [], truncated: false });
    await expect(lineage.graph('experiment', 'x', 'up')).rejects.toThrow(
      /lineage kind "experiment"/,
    );
    await expect(lineage.graph('dataset', 'housing', 'sideways' as 'up')).rejects.toThrow(
      /direction/,
    );
    await expect(lineage.graph('dataset', 'nope@1', 'up')).rejects.toThrow(
      'dataset nope does not exist',
    );
    await expect(lineage.graph('transform', 'nope', 'up')).rejects.toThrow(
      'transform nope does not exist',
    );
  });
});
