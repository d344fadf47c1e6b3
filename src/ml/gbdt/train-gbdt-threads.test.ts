// Training on worker threads (which run the built dist/ code: `npm run build` first) gives
// the same model, bit for bit, as training in one thread.
import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { multiLogloss } from '../metrics/classification-metrics.js';
import { rmse } from '../metrics/regression-metrics.js';
import { SeededRandom } from '../random.js';
import type { GbdtModel } from './gbdt-model.js';
import type { GbdtParams } from './gbdt-params.js';
import { trainGbdt } from './train-gbdt.js';

function synthetic(n: number, seed: number) {
  const rng = new SeededRandom(seed);
  const cols = Array.from({ length: 6 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.next() < 0.05 ? NaN : rng.next() * 4;
    cols[5][i] = rng.nextInt(12);
    const a = Number.isNaN(cols[0][i]) ? 1 : cols[0][i];
    y[i] =
      Math.sin(a) + (cols[1][i] > 2 ? 1 : 0) + (cols[5][i] % 3 === 0 ? 0.7 : 0) + rng.next() * 0.2;
  }
  return { x: matrixFromColumns(cols), y };
}

const features: FeatureSpec[] = [
  ...Array.from({ length: 5 }, (_, i) => ({ name: `n${i}`, type: 'numeric' as const })),
  { name: 'c', type: 'categorical' },
];
// Large enough that the first levels of each tree run on several threads (small steps stay
// in the calling thread, see MIN_PARALLEL_WORK).
const train = synthetic(30_000, 1);
const valid = synthetic(1500, 2);

function treesOf(model: GbdtModel): unknown {
  return JSON.parse(JSON.stringify(model.ensemble.trees));
}

function trainWith(
  numThreads: number,
  params: Partial<GbdtParams>,
  y: Float64Array = train.y,
): GbdtModel {
  return trainGbdt({
    x: train.x,
    y,
    features,
    validation: {
      x: valid.x,
      y: params.objective === 'multiclass_softmax' ? classes(valid.y) : valid.y,
    },
    params: {
      numRounds: 15,
      maxDepth: 5,
      subsample: 0.8,
      colsampleByTree: 0.8,
      seed: 3,
      ...params,
      numThreads,
    },
  });
}

const classes = (y: Float64Array): Float64Array =>
  Float64Array.from(y, (v) => (v < 1 ? 0 : v < 2 ? 1 : 2));

describe('trainGbdt on worker threads', () => {
  it('grows the same trees on 1, 2 and 3 threads (regression, depth-wise)', () => {
    const [one, two, three] = [1, 2, 3].map((t) => trainWith(t, {}));
    expect(treesOf(two)).toEqual(treesOf(one));
    expect(treesOf(three)).toEqual(treesOf(one));
    expect(two.history).toEqual(one.history);
    expect(rmse(valid.y, one.predict(valid.x))).toBeLessThan(0.3);
  });

  it('grows the same trees on 1 and 2 threads (multiclass, loss-guided)', () => {
    const params: Partial<GbdtParams> = {
      objective: 'multiclass_softmax',
      numClass: 3,
      growPolicy: 'lossguide',
      maxLeaves: 12,
      maxDepth: 0,
    };
    const [one, two] = [1, 2].map((t) => trainWith(t, params, classes(train.y)));
    expect(treesOf(two)).toEqual(treesOf(one));
    expect(two.predict(valid.x)).toEqual(one.predict(valid.x));
  });
});

describe('early stopping on a validation set binned once', () => {
  it('keeps the best round, and the kept model scores exactly the recorded best', () => {
    const small = synthetic(8000, 3);
    const model = trainGbdt({
      x: small.x,
      y: classes(small.y),
      features,
      validation: { x: valid.x, y: classes(valid.y) },
      params: {
        objective: 'multiclass_softmax',
        numClass: 3,
        numRounds: 400,
        learningRate: 0.4,
        earlyStoppingRounds: 10,
        numThreads: 2,
      },
    });
    const best = model.bestIteration!;
    expect(model.history!.validation.length).toBe(best + 11);
    expect(model.ensemble.trees.length).toBe((best + 1) * 3);
    // Scored from the raw validation rows by the returned model: the same number, bit for bit.
    expect(multiLogloss(classes(valid.y), model.predict(valid.x), 3)).toBe(
      model.history!.validation[best],
    );
  });
});
