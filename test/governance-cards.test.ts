// Model cards on SQLite and PostgreSQL: a model trained by a real pipeline (ingest → validate →
// split → train → evaluate → gate → register) and then deployed has a card showing its real
// lineage end to end — dataset version → split versions → training run → model version →
// deployment — with profiles, validation reports, params, metrics and the gate's decision;
// intended use, owner and limitations are edited over REST with the author recorded, and the
// SDK reads the card as JSON and Markdown.
import { afterEach, expect, it } from 'vitest';
import { GyreClient } from '../src/sdk/index.js';
import { serveApiOnLoopback } from '../src/server/serve.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { HOUSING_CSV } from './fixtures/data-files.js';

const TARGET = 'median_house_value';

const pipeline = {
  name: 'housing',
  params: { data: { type: 'file' } },
  steps: {
    ingest: { uses: 'data/ingest', with: { source: '${{ params.data }}', name: 'housing' } },
    validate: {
      needs: 'ingest',
      uses: 'data/validate',
      with: {
        dataset: '${{ steps.ingest.outputs.dataset }}',
        suite: {
          name: 'housing-basics',
          compare_previous: false,
          expectations: [{ expect: 'not_null', column: TARGET }],
        },
      },
    },
    split: {
      needs: 'validate',
      uses: 'data/split',
      with: { dataset: '${{ steps.ingest.outputs.dataset }}' },
    },
    train: {
      needs: 'split',
      uses: 'ml/train',
      with: {
        train: '${{ steps.split.outputs.train }}',
        validation: '${{ steps.split.outputs.validation }}',
        target: TARGET,
        params: { numRounds: 5, maxDepth: 3 },
      },
    },
    evaluate: {
      needs: 'train',
      uses: 'ml/evaluate',
      with: {
        model: '${{ steps.train.outputs.model }}',
        dataset: '${{ steps.split.outputs.test }}',
        target: TARGET,
      },
    },
    gate: {
      needs: 'evaluate',
      uses: 'registry/gate',
      with: {
        model: '${{ steps.train.outputs.model }}',
        dataset: '${{ steps.split.outputs.test }}',
        target: TARGET,
        thresholds: { r2: { min: 0.1 } },
        registered_model: 'housing-model',
      },
    },
    register: {
      needs: 'gate',
      uses: 'registry/register',
      with: { model: '${{ steps.train.outputs.model }}', name: 'housing-model' },
    },
  },
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describeEachGyre('model cards', (ctx) => {
  it('shows the real lineage of a pipeline-trained, deployed model, and records who edited it', async () => {
    const { gyre } = ctx;
    await gyre.pipelines.register({ spec: pipeline });
    const run = await (
      await gyre.pipelines.startRun({
        pipeline: 'housing',
        params: { data: HOUSING_CSV },
      })
    ).done;
    expect(run.status).toBe('succeeded');
    await gyre.serving.deployments.deploy({
      name: 'prices',
      model: 'housing-model/1',
      createdBy: 'alice',
      reason: 'first release',
    });

    const card = await gyre.governance.cards.card('housing-model', 1);
    const version = await gyre.registry.getVersion('housing-model', 1);
    // dataset version → split → training run → model version, as edges of the card's lineage.
    const edges = card.lineage.edges.map((e) => `${e.from} → ${e.to}`);
    expect(edges).toContain(`run:${version.runId} → model_version:housing-model@1`);
    expect(edges.some((e) => e.startsWith('dataset:housing@1 → transform:'))).toBe(true);
    expect(edges.some((e) => /^transform:.* → dataset:housing-train@1$/.test(e))).toBe(true);
    expect(edges).toContain(`dataset:housing-train@1 → run:${version.runId}`);
    expect(card.training.pipelineRun).toMatchObject({ id: run.id, pipeline: 'housing' });
    expect(card.training.runId).toBe(version.runId);
    expect(card.training.params).toMatchObject({ numRounds: '5' });

    const source = card.training.datasets.find((d) => d.ref === 'housing@1')!;
    expect(source).toMatchObject({ direct: false, rowCount: 20640 });
    expect(source.validation).toEqual([
      expect.objectContaining({ suite: 'housing-basics', passed: true }),
    ]);
    const train = card.training.datasets.find((d) => d.ref === 'housing-train@1')!;
    expect(train.direct).toBe(true);
    expect(train.columns.find((c) => c.name === 'median_income')).toMatchObject({
      logicalType: 'numeric',
    });
    expect(card.metrics.r2).toBeGreaterThan(0.1);
    expect(card.gates).toEqual([expect.objectContaining({ step: 'gate', passed: true })]);
    expect(card.deployments).toEqual([
      {
        name: 'prices',
        live: true,
        revisions: [
          expect.objectContaining({
            revision: 1,
            action: 'deploy',
            role: 'primary',
            createdBy: 'alice',
            reason: 'first release',
          }),
        ],
      },
    ]);

    const api = await serveApiOnLoopback(gyre, { version: '0.0.0-test' });
    close = api.close;
    const client = new GyreClient({ baseUrl: api.url }).governance;
    const edited = await client.updateCard('housing-model', 1, {
      owner: 'pricing-team',
      intendedUse: 'Estimating 1990 California block-group prices.',
    });
    expect(edited.fields).toMatchObject({ owner: 'pricing-team', updatedBy: 'api' });
    await client.updateCard('housing-model', 1, { limitations: 'Census data from 1990 only.' });
    const markdown = await client.getCardMarkdown('housing-model', 1);
    expect(markdown).toContain('# Model card: housing-model version 1');
    expect(markdown).toContain('**Owner:** pricing-team');
    expect(markdown).toContain('Census data from 1990 only.');
    expect(markdown).toContain(`run:${version.runId} → model_version:housing-model@1`);
    expect(markdown).toMatch(/### prices \(serving now\)/);

    await expect(client.getCard('housing-model', 7)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      client.updateCard('housing-model', 1, { owner: 'x', colour: 'red' } as never),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
