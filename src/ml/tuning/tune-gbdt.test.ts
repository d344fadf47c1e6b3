import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../dense-matrix.js';
import { SeededRandom } from '../random.js';
import type { TrialReport } from './tune-gbdt.js';
import { tuneGbdt } from './tune-gbdt.js';

function data(n: number, seed: number) {
  const rng = new SeededRandom(seed);
  const a = Float64Array.from({ length: n }, () => rng.next() * 6);
  const b = Float64Array.from({ length: n }, () => rng.next());
  return { x: matrixFromColumns([a, b]), y: a.map((v, i) => Math.sin(v) + b[i] * b[i]) };
}

const train = data(800, 1);
const validation = data(300, 2);
const space = {
  learningRate: { type: 'loguniform', low: 0.03, high: 0.5 },
  maxDepth: { type: 'int', low: 2, high: 5 },
  subsample: { type: 'choice', values: [0.7, 1] },
} as const;

describe('tuneGbdt', () => {
  it('runs successive halving in worker threads, reporting every trial', async () => {
    const reports: TrialReport[] = [];
    const result = await tuneGbdt({
      ...train,
      validation,
      space,
      strategy: 'successive_halving',
      numTrials: 9,
      minRounds: 5,
      maxRounds: 45,
      reduction: 3,
      seed: 7,
      parallelism: 2,
      onTrial: (r) => reports.push(r),
    });
    // 9 trials at 5 rounds, 3 at 15, 1 at 45.
    expect(reports.map((r) => r.rung)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2]);
    expect(result.best.numRounds).toBe(45);
    expect(result.model.ensemble.trees.length).toBe(45);
    const rung0 = reports.filter((r) => r.rung === 0).sort((a, b) => a.score - b.score);
    expect(
      reports
        .filter((r) => r.rung === 1)
        .map((r) => r.trialId)
        .sort(),
    ).toEqual(
      rung0
        .slice(0, 3)
        .map((r) => r.trialId)
        .sort(),
    );
  });

  it('gives the same result in-process as in workers (random search)', async () => {
    const run = (parallelism: number) =>
      tuneGbdt({ ...train, validation, space, numTrials: 3, maxRounds: 10, seed: 3, parallelism });
    const [inProcess, threaded] = await Promise.all([run(0), run(2)]);
    expect(threaded.trials).toEqual(inProcess.trials);
    expect(threaded.model.predict(validation.x)).toEqual(inProcess.model.predict(validation.x));
  });

  it('rejects an invalid search space before starting workers', async () => {
    await expect(
      tuneGbdt({
        ...train,
        validation,
        space: { learningRate: { type: 'loguniform', low: 0, high: 1 } },
      }),
    ).rejects.toThrow(/learningRate/);
  });
});
