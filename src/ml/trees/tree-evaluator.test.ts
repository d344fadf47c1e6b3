import { describe, expect, it } from 'vitest';
import { denseMatrix } from '../dense-matrix.js';
import { SeededRandom } from '../random.js';
import type { TreeSpec } from './tree-ensemble.js';
import { buildTreeEnsemble } from './tree-ensemble.js';
import { predictBatch, predictRowInto } from './tree-evaluator.js';
import { shapValues } from './tree-shap.js';
import { findLeaf } from './tree-walk.js';

/** A random full tree of the given depth over `d` features; some nodes categorical. */
function randomTree(
  rng: SeededRandom,
  depth: number,
  d: number,
  output: number,
  cats: boolean,
): TreeSpec {
  const cover: number[] = [];
  const categories: (number[] | null)[] = [];
  const tree: TreeSpec = {
    output,
    feature: [],
    threshold: [],
    left: [],
    right: [],
    defaultLeft: [],
    value: [],
    cover,
    categories,
  };
  const add = (level: number): number => {
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.defaultLeft.push(rng.next() < 0.5);
    tree.value.push(rng.next() - 0.5);
    cover.push(1 + rng.nextInt(50));
    categories.push(null);
    if (level < depth) {
      const f = rng.nextInt(d);
      tree.feature[id] = f;
      if (cats && f === 0) categories[id] = [0, 2, 5].filter(() => rng.next() < 0.7);
      else tree.threshold[id] = Math.fround([0, 1, -1, Infinity, 0.5, -0.25][rng.nextInt(6)]);
      tree.left[id] = add(level + 1);
      tree.right[id] = add(level + 1);
      cover[id] = cover[tree.left[id]] + cover[tree.right[id]];
    }
    return id;
  };
  add(0);
  return tree;
}

describe('the compiled (flat) evaluator', () => {
  const rng = new SeededRandom(5);
  const d = 4;
  const values = [NaN, -0, 0, 1, -1, 0.5, -0.25, Infinity, -Infinity, 2, 5, 0.3];
  const rows = 150;
  const x = denseMatrix(
    Float32Array.from({ length: rows * d }, () => values[rng.nextInt(values.length)]),
    rows,
    d,
  );

  for (const cats of [false, true]) {
    it(`walks every tree exactly like the general walk (categorical: ${cats})`, () => {
      const trees = Array.from({ length: 37 }, (_, t) =>
        randomTree(rng, 1 + (t % 6), d, t % 3, cats),
      );
      const header = {
        numFeatures: d,
        numOutputs: 3,
        baseMargin: [0.1, -0.2, 0.3],
        transform: 'identity' as const,
        float32Inputs: true,
      };
      const e = buildTreeEnsemble(header, trees);
      const expected = new Float64Array(rows * 3);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < 3; j++) expected[r * 3 + j] = header.baseMargin[j];
        for (let t = 0; t < e.treeRoot.length; t++) {
          expected[r * 3 + e.treeOutput[t]] +=
            e.value[findLeaf(e, e.treeRoot[t], x.values, r * d, false)];
        }
      }
      const batch = predictBatch(e, x);
      const one = new Float64Array(3);
      for (let r = 0; r < rows; r++) {
        predictRowInto(e, Array.from(x.values.subarray(r * d, (r + 1) * d)), 0, one);
        for (let j = 0; j < 3; j++) {
          expect(batch[r * 3 + j]).toBeCloseTo(expected[r * 3 + j], 12);
          expect(one[j]).toBeCloseTo(expected[r * 3 + j], 12);
        }
      }
      // SHAP values add up to the margin, row by row and output by output.
      const shap = shapValues(e, x);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < 3; j++) {
          const at = (r * 3 + j) * (d + 1);
          const sum = shap.subarray(at, at + d + 1).reduce((a, b) => a + b, 0);
          expect(sum).toBeCloseTo(expected[r * 3 + j], 9);
        }
      }
    });
  }
});
