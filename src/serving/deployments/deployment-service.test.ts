// Deployments and their revisions on SQLite and PostgreSQL: every change is a revision with
// who and why, promote and rollback, and deployments that follow an alias move with it.
import { expect, it } from 'vitest';
import { describeEachGyre } from '../../test-gyre.js';
import { putModelDirectory, registerModel, trainHousingGbdt } from '../test-models.js';
import { DEPLOYMENT_REVISED } from './deployment-types.js';

const model = trainHousingGbdt({ rounds: 5 });

describeEachGyre('deployments', (ctx) => {
  const setup = async () => {
    const { gyre } = ctx;
    for (let i = 0; i < 3; i++) await registerModel(gyre, 'housing', model);
    await gyre.registry.setAlias('housing', 'champion', 1);
    return gyre.serving.deployments;
  };

  it('records every change as a revision with who and why, and rolls back', async () => {
    const deployments = await setup();
    const first = await deployments.deploy({
      name: 'housing',
      model: 'housing@champion',
      createdBy: 'ana',
      reason: 'first release',
    });
    expect(first.current).toMatchObject({
      revision: 1,
      action: 'deploy',
      createdBy: 'ana',
      reason: 'first release',
      spec: { mode: 'single', routes: [{ model: 'models:/housing@champion', weight: 100 }] },
      routes: [{ name: 'housing', version: 1, key: 'housing/1', flavor: 'gyre' }],
    });
    const canary = await deployments.deploy({ name: 'housing', model: 'housing/3', canary: 10 });
    expect(canary.current.spec).toMatchObject({
      mode: 'canary',
      routes: [
        { model: 'models:/housing@champion', role: 'primary', weight: 90 },
        { model: 'models:/housing/3', role: 'candidate', weight: 10 },
      ],
    });
    const promoted = await deployments.promote('housing', {
      createdBy: 'bo',
      reason: 'looks good',
    });
    expect(promoted.current).toMatchObject({
      revision: 3,
      action: 'promote',
      spec: { mode: 'single' },
      routes: [{ version: 3, role: 'primary', weight: 100 }],
    });
    const back = await deployments.rollback('housing', { createdBy: 'cy' });
    expect(back.current).toMatchObject({
      revision: 4,
      action: 'rollback',
      reason: 'back to revision 2',
      spec: { mode: 'canary' },
    });
    const history = await deployments.history('housing');
    expect(history.map((r) => [r.revision, r.action, r.createdBy])).toEqual([
      [4, 'rollback', 'cy'],
      [3, 'promote', 'bo'],
      [2, 'deploy', 'unknown'],
      [1, 'deploy', 'ana'],
    ]);
    const events = await ctx.gyre.events.list({ type: DEPLOYMENT_REVISED });
    expect(events.map((e) => e.payload.revision)).toEqual([1, 2, 3, 4]);
  });

  it('refuses what cannot be served, naming the problem', async () => {
    const deployments = await setup();
    await expect(
      deployments.deploy({ name: 'new', model: 'housing/1', canary: 5 }),
    ).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('deploy a model first'),
    });
    await deployments.deploy({ name: 'ab', model: 'housing/1' });
    await expect(
      deployments.deploy({ name: 'ab', model: 'housing/2', ab: 50 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'routingKey' },
    });
    await expect(
      deployments.deploy({ name: 'bad name!', model: 'housing/1' }),
    ).rejects.toMatchObject({
      details: { field: 'name' },
    });
    await expect(deployments.deploy({ name: 'x', model: 'housing/9' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await ctx.gyre.registry.createModel({ name: 'pyfunc' });
    await putModelDirectory(
      ctx.gyre.artifacts,
      'pyfunc',
      new Map([['MLmodel', 'flavors:\n  python_function: {loader_module: m}\n']]),
    );
    await ctx.gyre.registry.createVersion({
      name: 'pyfunc',
      source: ctx.gyre.artifacts.uriOf('pyfunc'),
    });
    await expect(deployments.deploy({ name: 'py', model: 'pyfunc/1' })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining(
        'Gyre serves models with one of: gyre, xgboost, lightgbm, onnx',
      ),
    });
    expect(await deployments.list()).toHaveLength(1);
  });

  it('moves deployments that follow an alias when the alias moves', async () => {
    const deployments = await setup();
    await deployments.deploy({ name: 'follows', model: 'housing@champion' });
    await deployments.deploy({ name: 'pinned', model: 'housing/1' });
    await ctx.gyre.dispatcher.drain(); // the follower starts reading from here
    await ctx.gyre.registry.setAlias('housing', 'champion', 2);
    await ctx.gyre.dispatcher.drain();
    const follows = await deployments.get('follows');
    expect(follows.current).toMatchObject({
      revision: 2,
      action: 'alias-moved',
      createdBy: 'gyre',
      reason: 'housing@champion moved to version 2',
      routes: [{ version: 2 }],
    });
    expect((await deployments.get('pinned')).current.revision).toBe(1);
    // At-least-once delivery: handling the move again changes nothing.
    await deployments.follow('models:/housing@champion', 'again');
    expect((await deployments.get('follows')).current.revision).toBe(2);
  });
});
