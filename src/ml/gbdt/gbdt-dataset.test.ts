import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { SeededRandom } from '../random.js';
import { GbdtDatasetBuilder, trainGbdtDataset } from './gbdt-dataset.js';
import { trainGbdt } from './train-gbdt.js';

function columns(n: number, seed: number) {
  const rng = new SeededRandom(seed);
  const a = Float32Array.from({ length: n }, () => rng.next() * 10);
  const b = Float32Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.next()));
  const c = Float32Array.from({ length: n }, () => rng.nextInt(7));
  const y = Float64Array.from(a, (v, i) => Math.sin(v) + (b[i] || 0) + (c[i] === 2 ? 1 : 0));
  return { cols: [a, b, c], y };
}

const features: FeatureSpec[] = [
  { name: 'a', type: 'numeric' },
  { name: 'b', type: 'numeric' },
  { name: 'c', type: 'categorical' },
];
const params = { numRounds: 20, maxDepth: 4, numThreads: 1 };

function chunked(
  data: { cols: Float32Array[]; y: Float64Array },
  builder: GbdtDatasetBuilder,
  sizes: number[],
) {
  let at = 0;
  for (const size of sizes) {
    builder.append({
      columns: data.cols.map((c) => c.subarray(at, at + size)),
      labels: data.y.subarray(at, at + size),
    });
    at += size;
  }
  return builder.finish();
}

describe('training from column chunks', () => {
  const train = columns(3000, 1);
  const valid = columns(800, 2);

  it('builds the same model as training on the whole matrix', () => {
    const whole = trainGbdt({
      x: matrixFromColumns(train.cols),
      y: train.y,
      features,
      validation: { x: matrixFromColumns(valid.cols), y: valid.y },
      params,
    });
    // Sized for more rows than arrive: finish() keeps what was appended.
    const builder = new GbdtDatasetBuilder({ features, numRows: 4000, sample: train.cols });
    const trainSet = chunked(train, builder, [1000, 1500, 500]);
    const validSet = chunked(
      valid,
      new GbdtDatasetBuilder({ features, numRows: 800, binsFrom: trainSet }),
      [300, 500],
    );
    const fromChunks = trainGbdtDataset(trainSet, { params, validation: validSet });
    expect(JSON.stringify(fromChunks.ensemble.trees)).toBe(JSON.stringify(whole.ensemble.trees));
    expect(fromChunks.history).toEqual(whole.history);
  });

  it('refuses chunks that do not fit the dataset', () => {
    const builder = new GbdtDatasetBuilder({ features, numRows: 10, sample: train.cols });
    expect(() => builder.append({ columns: train.cols.slice(0, 2), labels: [1] })).toThrow(
      /columns/,
    );
    expect(() =>
      builder.append({
        columns: train.cols.map((c) => c.subarray(0, 11)),
        labels: train.y.subarray(0, 11),
      }),
    ).toThrow(/10 rows/);
  });
});
