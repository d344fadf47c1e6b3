import { expect, it } from 'vitest';
import { describeEachDatabase } from '../db/test-database.js';
import { denseMatrix, tuneGbdt } from '../ml/index.js';
import { createTrackingService } from './tracking-service.js';
import { createTrialRunLogger } from './trial-run-logger.js';

function dataset(n: number, seed: number) {
  const values = new Float32Array(n * 2);
  const y = new Float64Array(n);
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n; i++) {
    values[i * 2] = rand();
    values[i * 2 + 1] = rand();
    y[i] = 3 * values[i * 2] - 2 * values[i * 2 + 1] + 0.1 * rand();
  }
  return { x: denseMatrix(values, n, 2), y };
}

describeEachDatabase('tuning trials as child runs', (ctx) => {
  it('logs every trial of a tuning job as a child run of the parent, with params and score', async () => {
    const tracking = createTrackingService(ctx.db);
    const parent = await tracking.runs.create({ runName: 'tune-price' });
    const logger = createTrialRunLogger(tracking.runs, {
      experimentId: parent.info.experimentId,
      parentRunId: parent.info.runId,
    });
    const result = await tuneGbdt({
      ...dataset(400, 1),
      validation: dataset(100, 2),
      space: {
        maxDepth: { type: 'int', low: 2, high: 4 },
        learningRate: { type: 'uniform', low: 0.05, high: 0.3 },
      },
      numTrials: 3,
      maxRounds: 10,
      parallelism: 0,
      seed: 7,
      onTrial: logger.onTrial,
    });
    const childIds = await logger.flush();
    expect(childIds).toHaveLength(result.trials.length);

    const children = await tracking.runs.search({
      experimentIds: [parent.info.experimentId],
      filter: `tags.mlflow.parentRunId = '${parent.info.runId}'`,
    });
    expect(children.items.map((r) => r.info.runId).sort()).toEqual([...childIds].sort());
    const best = children.items.find((r) =>
      r.tags.some((t) => t.key === 'gyre.tuning.trial' && t.value === String(result.best.trialId)),
    )!;
    expect(best.info.status).toBe('FINISHED');
    expect(best.params).toEqual(
      expect.arrayContaining([
        { key: 'num_rounds', value: '10' },
        { key: 'maxDepth', value: String(result.best.params.maxDepth) },
      ]),
    );
    expect(best.metrics.find((m) => m.key === result.best.metric)?.value).toBeCloseTo(
      result.best.score,
      10,
    );
  });
});
