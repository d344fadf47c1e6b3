// Built-in steps end to end on the shipped California housing data, on SQLite and PostgreSQL:
// ingest → validate → split → train → evaluate → gate → register, each step on a worker
// thread, the model registered with lineage to its datasets and the pipeline run.
import { expect, it } from 'vitest';
import { describeEachGyre } from '../src/test-gyre.js';
import { HOUSING_CSV } from './fixtures/data-files.js';

const pipeline = (rounds: number) => ({
  name: 'housing',
  params: { data: { type: 'file' }, target: 'median_house_value' },
  steps: {
    ingest: { uses: 'data/ingest', with: { source: '${{ params.data }}', name: 'housing' } },
    validate: {
      needs: 'ingest',
      uses: 'data/validate',
      with: {
        dataset: '${{ steps.ingest.outputs.dataset }}',
        suite: {
          compare_previous: false,
          expectations: [{ expect: 'not_null', column: '${{ params.target }}' }],
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
        target: '${{ params.target }}',
        params: { numRounds: rounds },
      },
    },
    evaluate: {
      needs: 'train',
      uses: 'ml/evaluate',
      with: {
        model: '${{ steps.train.outputs.model }}',
        dataset: '${{ steps.split.outputs.test }}',
        target: '${{ params.target }}',
      },
    },
    gate: {
      needs: 'evaluate',
      uses: 'registry/gate',
      with: {
        model: '${{ steps.train.outputs.model }}',
        dataset: '${{ steps.split.outputs.test }}',
        target: '${{ params.target }}',
        thresholds: { r2: { min: 0.5 } },
        registered_model: 'housing-model',
      },
    },
    register: {
      needs: 'gate',
      uses: 'registry/register',
      with: {
        model: '${{ steps.train.outputs.model }}',
        name: 'housing-model',
        aliases: ['champion'],
      },
    },
  },
});

describeEachGyre('built-in pipeline steps', (ctx) => {
  it('trains, evaluates, gates and registers a model with lineage', async () => {
    const { gyre } = ctx;
    await gyre.pipelines.register({ spec: pipeline(20) });
    const run = await (
      await gyre.pipelines.startRun({ pipeline: 'housing', params: { data: HOUSING_CSV } })
    ).done;
    const detail = await gyre.pipelines.getRun(run.id);
    expect(detail.steps.map((s) => [s.step, s.status, s.error ?? '']).sort()).toEqual(
      ['evaluate', 'gate', 'ingest', 'register', 'split', 'train', 'validate'].map((s) => [
        s,
        'succeeded',
        '',
      ]),
    );
    expect(run.status).toBe('succeeded');
    const steps = Object.fromEntries(detail.steps.map((s) => [s.step, s]));
    expect(steps.evaluate.outputs?.r2.value).toBeGreaterThan(0.5);
    expect(steps.register.outputs?.model.value).toBe('models:/housing-model/1');
    const version = await gyre.registry.getVersionByAlias('housing-model', 'champion');
    expect(version.tags['gyre.pipeline.run']).toBe(run.id);
    expect(version.lineage?.datasets.map((d) => d.name).sort()).toEqual([
      'housing-train@1',
      'housing-validation@1',
    ]);
    // Per-round validation metrics went to the training step's run.
    const history = await gyre.tracking.runs.metricHistory(
      steps.train.trackingRunId!,
      'validation_rmse',
    );
    expect(history.items).toHaveLength(20);

    // A second run with a worse candidate (fewer rounds) is refused by the champion gate.
    const { version: v2 } = await gyre.pipelines.register({ spec: pipeline(3) });
    const second = await (
      await gyre.pipelines.startRun({
        pipeline: 'housing',
        version: v2.version,
        params: { data: HOUSING_CSV },
      })
    ).done;
    expect(second.status).toBe('failed');
    const gate = (await gyre.pipelines.getRun(second.id)).steps.find((s) => s.step === 'gate')!;
    expect(gate.error).toMatch(/does not beat the champion \(version 1\)/);
    expect(
      (await gyre.pipelines.getRun(second.id)).steps.find((s) => s.step === 'register')?.status,
    ).toBe('skipped');
    // The data steps were cached: same file, same code.
    expect(
      (await gyre.pipelines.getRun(second.id)).steps.find((s) => s.step === 'split')?.status,
    ).toBe('cached');
  });
});
