import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { KyselyRegistryStore, RegistryService } from '../../registry/index.js';
import { createTrackingService, type TrackingService } from '../../tracking/index.js';
import { createDataFixture, HOUSING_CSV, type DataFixture } from '../test-data.js';
import { LineageService } from './lineage-service.js';
import { serviceLineageLinks } from './service-lineage-links.js';

describeEachDatabase('lineage over the real tracking and registry services', (ctx) => {
  let f: DataFixture;
  let tracking: TrackingService;
  let registry: RegistryService;
  beforeEach(() => {
    f = createDataFixture(ctx.db);
    tracking = createTrackingService(ctx.db);
    registry = new RegistryService({
      store: new KyselyRegistryStore(ctx.db),
      artifacts: f.artifacts,
      runs: {
        getRun: (runId) => tracking.runs.getRunSummary(runId),
        recordModelOutput: (runId, output) => tracking.runs.recordModelOutput(runId, output),
      },
    });
  });
  afterEach(() => f.cleanup());

  async function runLogging(digest: string): Promise<string> {
    const run = await tracking.runs.create({ runName: `trained on ${digest.slice(0, 8)}` });
    await tracking.runs.logInputs(run.info.runId, [
      { name: 'housing', digest, sourceType: 'gyre', source: 'housing@1', tags: [] },
    ]);
    return run.info.runId;
  }

  it('links a dataset version to the runs that logged its digest and the versions they produced', async () => {
    const { version } = await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    // MLflow caps a logged digest at 36 characters; clients log a prefix of the sha256.
    const fullDigestRun = await runLogging(version.digest.slice(0, 36));
    const shortDigestRun = await runLogging(version.digest.slice(0, 12));
    await runLogging('0'.repeat(36)); // another dataset entirely
    await registry.createModel({ name: 'price' });
    await registry.createVersion({
      name: 'price',
      source: `runs:/${shortDigestRun}/model`,
      runId: shortDigestRun,
    });

    const lineage = new LineageService(f.service, serviceLineageLinks(tracking, registry));
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

  it('does not treat a digest prefix shorter than 8 characters as a match', async () => {
    const { version } = await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    await runLogging(version.digest.slice(0, 7));
    const links = serviceLineageLinks(tracking, registry);
    expect(await links.runsUsingDigest(version.digest)).toEqual([]);
  });
});
