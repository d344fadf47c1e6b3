// Lineage across domains, as the composition root wires it: the data domain's lineage sees
// tracking's runs and the registry's versions only through the ports in lineage-links.ts.
import { expect, it } from 'vitest';
import { HOUSING_CSV } from '../data/test-data.js';
import { describeEachGyre } from '../test-gyre.js';
import { lineageLinks } from './lineage-links.js';

describeEachGyre('lineage over the real tracking and registry services', (ctx) => {
  const ingestHousing = () =>
    ctx.gyre.data.datasets.ingest({ source: HOUSING_CSV, name: 'housing' });

  async function runLogging(digest: string): Promise<string> {
    const run = await ctx.gyre.tracking.runs.create({
      runName: `trained on ${digest.slice(0, 8)}`,
    });
    await ctx.gyre.tracking.runs.logInputs(run.info.runId, [
      { name: 'housing', digest, sourceType: 'gyre', source: 'housing@1', tags: [] },
    ]);
    return run.info.runId;
  }

  it('links a dataset version to the runs that logged its digest and the versions they produced', async () => {
    const { version } = await ingestHousing();
    // MLflow caps a logged digest at 36 characters; clients log a prefix of the sha256.
    const fullDigestRun = await runLogging(version.digest.slice(0, 36));
    const shortDigestRun = await runLogging(version.digest.slice(0, 12));
    await runLogging('0'.repeat(36)); // another dataset entirely
    await ctx.gyre.registry.createModel({ name: 'price' });
    await ctx.gyre.registry.createVersion({
      name: 'price',
      source: `runs:/${shortDigestRun}/model`,
      runId: shortDigestRun,
    });

    const { lineage } = ctx.gyre.data;
    const down = await lineage.graph('dataset', 'housing@1', 'down');
    const ids = down.nodes.map((n) => n.id).sort();
    expect(ids).toEqual(
      [
        'dataset:housing@1',
        `run:${fullDigestRun}`,
        `run:${shortDigestRun}`,
        'model_version:price@1',
      ].sort(),
    );
    expect(down.edges).toEqual(
      expect.arrayContaining([{ from: `run:${shortDigestRun}`, to: 'model_version:price@1' }]),
    );

    const up = await lineage.graph('model_version', 'price@1', 'up');
    expect(up.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining([`run:${shortDigestRun}`, 'dataset:housing@1']),
    );
  });

  it('links runs that logged the whole sha256 or the labelled short form Gyre prints', async () => {
    const { version } = await ingestHousing();
    const wholeRun = await runLogging(version.digest);
    const printedRun = await runLogging(`sha256:${version.digest.slice(0, 12)}`);
    const { lineage } = ctx.gyre.data;
    const down = await lineage.graph('dataset', 'housing@1', 'down');
    expect(down.nodes.map((n) => n.id).sort()).toEqual(
      ['dataset:housing@1', `run:${wholeRun}`, `run:${printedRun}`].sort(),
    );
    for (const runId of [wholeRun, printedRun]) {
      const up = await lineage.graph('run', runId, 'up');
      expect(up.nodes.map((n) => n.id)).toContain('dataset:housing@1');
    }
  });

  it('does not treat a digest prefix shorter than 8 characters as a match', async () => {
    const { version } = await ingestHousing();
    const runId = await runLogging(version.digest.slice(0, 7));
    const links = lineageLinks(ctx.gyre.tracking, ctx.gyre.registry);
    expect(await links.runsUsingDigest(version.digest)).toEqual([]);
    // Nor the other way: walking up from the run finds no version.
    expect(await links.digestsUsedByRun(runId)).toEqual([]);
  });
});
