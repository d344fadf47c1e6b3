// The `serving/deploy` built-in step on SQLite and PostgreSQL: a pipeline's first run creates
// the deployment with its model alone, the next adds its model as a canary with a rollout plan,
// a re-run deploys again (never answered from the step cache), and bad inputs fail the step
// with an error naming the input.
import { expect, it } from 'vitest';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';

const model = trainHousingGbdt({ rounds: 3 });

const pipeline = {
  name: 'ship',
  params: {
    model: { type: 'string' },
    canary: { type: 'number', default: 20 },
    rollout: { type: 'json', default: null },
  },
  steps: {
    deploy: {
      uses: 'serving/deploy',
      with: {
        deployment: 'housing',
        model: '${{ params.model }}',
        canary: '${{ params.canary }}',
        rollout: '${{ params.rollout }}',
        reason: 'shipped by a pipeline',
      },
    },
  },
};

describeEachGyre('serving/deploy step', (ctx) => {
  const run = async (params: Record<string, unknown>) => {
    const { gyre } = ctx;
    const started = await gyre.pipelines.startRun({ pipeline: 'ship', params });
    const done = await started.done;
    const step = (await gyre.pipelines.getRun(done.id)).steps.find((s) => s.step === 'deploy')!;
    return { run: done, step };
  };

  it('deploys alone first, then as a canary with a rollout plan, and never from the cache', async () => {
    const { gyre } = ctx;
    for (let i = 0; i < 2; i++) await registerModel(gyre, 'housing', model);
    await gyre.pipelines.register({ spec: pipeline });

    const first = await run({ model: 'models:/housing/1', rollout: { steps: [] } });
    // An empty plan is refused before anything is deployed.
    expect(first.run.status).toBe('failed');
    expect(first.step.error).toMatch(/rollout: must be \{steps/);
    await expect(gyre.serving.deployments.get('housing')).rejects.toThrow(/does not exist/);

    const plan = {
      steps: [
        { weight: 20, pauseMs: 0 },
        { weight: 50, pauseMs: 0 },
      ],
    };
    const created = await run({ model: 'models:/housing/1', rollout: plan });
    expect(created.run.status).toBe('succeeded');
    expect(created.step.outputs).toMatchObject({
      revision: { value: 1 },
      mode: { value: 'single' },
    });

    const canary = await run({ model: 'models:/housing/2', rollout: plan });
    expect(canary.step.outputs).toMatchObject({
      revision: { value: 2 },
      mode: { value: 'canary' },
    });
    const deployment = await gyre.serving.deployments.get('housing');
    expect(deployment.current).toMatchObject({
      action: 'deploy',
      createdBy: `pipeline:${canary.run.id}`,
      reason: 'shipped by a pipeline',
      spec: { mode: 'canary', rollout: plan },
    });
    expect(deployment.current.routes.map((r) => [r.key, r.role, r.weight])).toEqual([
      ['housing/1', 'primary', 80],
      ['housing/2', 'candidate', 20],
    ]);

    // Someone rolls back; the same run again must deploy again, not replay a cached success.
    await gyre.serving.deployments.rollback('housing');
    const again = await run({ model: 'models:/housing/2', rollout: plan });
    expect(again.step.status).toBe('succeeded');
    expect((await gyre.serving.deployments.get('housing')).current).toMatchObject({
      revision: 4,
      spec: { mode: 'canary' },
    });
  });

  it('fails naming the input when the canary weight or the model is wrong', async () => {
    const { gyre } = ctx;
    await registerModel(gyre, 'housing', model);
    await gyre.pipelines.register({ spec: pipeline });
    const weight = await run({ model: 'housing/1', canary: 150 });
    expect(weight.step.error).toMatch(/canary: must be a percentage from 0 to 100, got 150/);
    const missing = await run({ model: 'housing/9' });
    expect(missing.run.status).toBe('failed');
    expect(missing.step.error).toMatch(/housing/);
    await expect(gyre.serving.deployments.get('housing')).rejects.toThrow(/does not exist/);
  });
});
