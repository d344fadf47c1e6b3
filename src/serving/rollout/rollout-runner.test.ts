// A rollout plan steps the candidate's weight, pausing and asking the analysis hook after each
// step; it promotes at the end or rolls back on the hook's word (SQLite and PostgreSQL).
import { expect, it } from 'vitest';
import { describeEachGyre } from '../../test-gyre.js';
import { registerModel, trainHousingGbdt } from '../test-models.js';
import { runRollout, type RolloutStepContext } from './rollout-runner.js';

const model = trainHousingGbdt({ rounds: 3, rows: 500 });

describeEachGyre('rollout plans', (ctx) => {
  const setup = async () => {
    for (let i = 0; i < 2; i++) await registerModel(ctx.gyre, 'housing', model);
    const { deployments } = ctx.gyre.serving;
    await deployments.deploy({ name: 'h', model: 'housing/1' });
    await deployments.deploy({
      name: 'h',
      model: 'housing/2',
      canary: 5,
      rollout: {
        steps: [
          { weight: 25, pauseMs: 60_000 },
          { weight: 50, pauseMs: 60_000 },
        ],
      },
    });
    return deployments;
  };
  const waited: number[] = [];
  const wait = async (ms: number) => {
    waited.push(ms);
  };

  it('steps through the plan and promotes', async () => {
    const deployments = await setup();
    const seen: RolloutStepContext[] = [];
    const outcome = await runRollout(deployments, 'h', undefined, {
      wait,
      analysis: async (step) => (seen.push(step), 'continue'),
    });
    expect(outcome).toEqual({ outcome: 'promoted', revision: 5 });
    expect(seen.map((s) => s.weight)).toEqual([25, 50]);
    const history = await deployments.history('h');
    expect(history.map((r) => [r.action, r.routes.map((x) => x.weight)])).toEqual([
      ['promote', [100]],
      ['rollout-step', [50, 50]],
      ['rollout-step', [75, 25]],
      ['deploy', [95, 5]],
      ['deploy', [100]],
    ]);
    expect((await deployments.get('h')).current.routes[0].version).toBe(2);
  });

  it('rolls back to the revision before the candidate when the analysis says so', async () => {
    const deployments = await setup();
    const outcome = await runRollout(deployments, 'h', undefined, {
      wait,
      analysis: async ({ step }) => (step === 0 ? 'continue' : 'rollback'),
    });
    expect(outcome.outcome).toBe('rolled-back');
    const current = (await deployments.get('h')).current;
    expect(current).toMatchObject({
      action: 'rollback',
      spec: { mode: 'single' },
      routes: [{ version: 1 }],
    });
  });
});
