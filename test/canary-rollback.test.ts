// Canary analysis driving a rollout, on SQLite and PostgreSQL with a real model server and
// prediction log: a canary trained on shuffled labels is rolled back by itself, with the
// evidence stored and quoted in the revision's reason; a good canary is promoted.
import { afterEach, expect, it } from 'vitest';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { startTraffic, type Traffic } from './fixtures/monitoring-traffic.js';

const stable = trainHousingGbdt({ rounds: 20, rows: 5000, seed: 0 });
const good = trainHousingGbdt({ rounds: 20, rows: 5000, seed: 1 });
const worse = trainHousingGbdt({ rounds: 20, rows: 5000, seed: 2, shuffleLabels: true });

describeEachGyre('canary rollouts', (ctx) => {
  let traffic: Traffic | undefined;
  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
  });

  /** Deploys the stable model, then the candidate as a canary with a two-step plan. */
  const rollout = async (candidate: typeof good) => {
    const { gyre } = ctx;
    await registerModel(gyre, 'housing', stable);
    await registerModel(gyre, 'housing', candidate);
    const { deployments } = gyre.serving;
    await deployments.deploy({ name: 'h', model: 'housing/1' });
    await deployments.deploy({
      name: 'h',
      model: 'housing/2',
      canary: 5,
      rollout: {
        steps: [
          { weight: 30, pauseMs: 3_600_000 },
          { weight: 60, pauseMs: 3_600_000 },
        ],
      },
    });
    traffic = await startTraffic(gyre, 'h');
    const driver = gyre.monitoring.rollouts;
    // The driver finds the plan by itself, as the server's timer would.
    await driver.tick();
    expect((await driver.get('h')).rollout).toMatchObject({ state: 'running', step: 0 });
    /** Traffic with labels coming back for every answer, then the step's analysis. */
    const step = async (seed: number) => {
      await traffic!.server.sync();
      const sent = traffic!.send(1000, { seed });
      await traffic!.flush();
      await gyre.monitoring.feedback.send(
        'h',
        sent.map((s) => ({ requestId: s.requestId, label: s.target })),
      );
      return driver.advance('h');
    };
    return { step, driver, deployments };
  };

  it('rolls back a canary trained on shuffled labels, with the evidence recorded', async () => {
    const { step, driver, deployments } = await rollout(worse);
    const after = await step(1);
    expect(after).toMatchObject({ state: 'rolled-back' });
    const current = (await deployments.get('h')).current;
    expect(current).toMatchObject({
      action: 'rollback',
      createdBy: 'rollout',
      routes: [{ version: 1 }],
    });
    expect(current.spec.mode).toBe('single');
    expect(current.reason).toMatch(/canary analysis at rollout step 1 failed: .*realized rmse/);
    const { analyses } = await driver.get('h');
    expect(analyses).toHaveLength(1);
    expect(analyses[0]).toMatchObject({ decision: 'rollback', step: 0 });
    const evidence = analyses[0].evidence as {
      primary: { rows: number; labelledRows: number; realized: { rmse: number } };
      candidate: { rows: number; labelledRows: number; realized: { rmse: number } };
      predictionDrift: { drifted: boolean };
    };
    expect(evidence.candidate.labelledRows).toBeGreaterThan(200);
    expect(evidence.primary.labelledRows + evidence.candidate.labelledRows).toBe(1000);
    expect(evidence.candidate.realized.rmse).toBeGreaterThan(evidence.primary.realized.rmse * 1.1);
    expect(evidence.predictionDrift.drifted).toBe(true);
  });

  it('promotes a good canary after every step passes', async () => {
    const { step, driver, deployments } = await rollout(good);
    const first = await step(1);
    expect(first).toMatchObject({ state: 'running', step: 1 });
    expect((await deployments.get('h')).current.routes.map((r) => r.weight)).toEqual([40, 60]);
    const second = await step(2);
    expect(second).toMatchObject({ state: 'promoted' });
    const current = (await deployments.get('h')).current;
    expect(current).toMatchObject({ action: 'promote', routes: [{ version: 2 }] });
    expect((await driver.get('h')).analyses.map((a) => a.decision)).toEqual([
      'continue',
      'continue',
    ]);
  });
});
