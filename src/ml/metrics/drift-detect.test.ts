import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random.js';
import {
  categoricalReference,
  categoricalWindow,
  numericReference,
  numericWindow,
} from './drift-columns.js';
import { defaultDriftTest, detectDrift } from './drift-detect.js';
import { ksTest } from './drift-ks-test.js';

const rng = new SeededRandom(11);
const normal = (n: number, mean = 0) =>
  Array.from({ length: n }, () => {
    const u = 1 - rng.next();
    return mean + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  });
const pick = (n: number, values: string[], weights: number[]) =>
  Array.from({ length: n }, () => {
    let r = rng.next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < values.length; i++) if ((r -= weights[i]) < 0) return values[i];
    return values[values.length - 1];
  });

describe("Evidently's default choice of test", () => {
  it('picks by kind, reference size and distinct values', () => {
    const small = numericReference('x', normal(1000));
    const large = numericReference('x', normal(1001));
    expect(defaultDriftTest(small, numericWindow(small, normal(50)))).toBe('ks');
    expect(defaultDriftTest(large, numericWindow(large, normal(50)))).toBe('wasserstein');

    const few = numericReference(
      'k',
      normal(800).map((v) => Math.round(Math.abs(v))),
    );
    expect(few.distinct).toBeLessThanOrEqual(5);
    expect(defaultDriftTest(few, numericWindow(few, [0, 1, 2]))).toBe('chisquare');

    const cats = categoricalReference('c', pick(900, ['a', 'b', 'c'], [1, 1, 1]));
    expect(defaultDriftTest(cats, categoricalWindow('c', ['a']))).toBe('chisquare');
    const binary = categoricalReference('b', pick(900, ['y', 'n'], [1, 3]));
    expect(defaultDriftTest(binary, categoricalWindow('b', ['y', 'n']))).toBe('z');
    // A third value in the window makes it a three-category column.
    expect(defaultDriftTest(binary, categoricalWindow('b', ['maybe']))).toBe('chisquare');
    const many = categoricalReference('c', pick(5000, ['a', 'b', 'c'], [1, 1, 1]));
    expect(defaultDriftTest(many, categoricalWindow('c', ['a']))).toBe('jensenshannon');
  });
});

describe('detectDrift', () => {
  const refX = normal(800);
  const refCat = pick(800, ['a', 'b', 'c'], [5, 3, 2]);
  const x = numericReference('x', refX);
  const y = numericReference('y', normal(3000));
  const references = [
    x,
    y,
    categoricalReference('cat', refCat),
    categoricalReference('big', pick(4000, ['p', 'q', 'r', 's'], [1, 1, 1, 1])),
  ];

  it('finds no drift in a window from the same distributions', () => {
    const windows = [
      numericWindow(x, normal(5000)),
      numericWindow(y, normal(5000)),
      categoricalWindow('cat', pick(5000, ['a', 'b', 'c'], [5, 3, 2])),
      categoricalWindow('big', pick(5000, ['p', 'q', 'r', 's'], [1, 1, 1, 1])),
    ];
    const report = detectDrift(references, windows);
    expect(report.columns.map((c) => c.test)).toEqual([
      'ks',
      'wasserstein',
      'chisquare',
      'jensenshannon',
    ]);
    expect(report.datasetDrift).toBe(false);
  });

  it('flags shifted columns and the dataset once half of them drift', () => {
    const curX = normal(5000, 0.5);
    const windows = [
      numericWindow(x, curX),
      numericWindow(y, normal(5000, 0.5)),
      // The reference's own shares, so the chi-square test has nothing to find.
      categoricalWindow('cat', [...refCat, ...refCat, ...refCat]),
      categoricalWindow('big', pick(5000, ['p', 'q', 'r', 's'], [1, 1, 1, 1])),
    ];
    const report = detectDrift(references, windows);
    expect(report.columns.map((c) => c.drifted)).toEqual([true, true, false, false]);
    expect(report.share).toBe(0.5);
    expect(report.datasetDrift).toBe(true);
    // The KS p-value from summaries is the one of the raw samples.
    expect(report.columns[0].score).toBe(ksTest(refX, curX).pValue);
    expect(detectDrift(references, windows, { driftShare: 0.75 }).datasetDrift).toBe(false);
  });

  it('takes thresholds and tests per column, PSI on request', () => {
    const windows = [numericWindow(y, normal(5000, 0.05))];
    const loose = detectDrift([references[1]], windows, { thresholds: { wasserstein: 0.5 } });
    expect(loose.columns[0].threshold).toBe(0.5);
    const psi = detectDrift([references[1]], windows, { columns: { y: { test: 'psi' } } });
    expect(psi.columns[0].test).toBe('psi');
    expect(psi.columns[0].score).toBeGreaterThan(0);
    expect(() =>
      detectDrift([references[2]], [categoricalWindow('cat', ['a'])], {
        columns: { cat: { test: 'ks' } },
      }),
    ).toThrow(/numeric/);
  });

  it('treats an unseen category as drift (expected count 0) and skips empty windows', () => {
    const report = detectDrift(
      [references[2], references[0]],
      [
        categoricalWindow('cat', [...pick(900, ['a', 'b', 'c'], [5, 3, 2]), 'z']),
        numericWindow(x, []),
      ],
    );
    expect(report.columns[0].drifted).toBe(true);
    expect(report.columns[0].score).toBe(0);
    expect(report.skipped).toEqual([{ column: 'x', reason: 'no values in the window' }]);
  });
});
