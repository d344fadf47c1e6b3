// Checks the LightGBM text parser's mechanics (child encoding, `<=` thresholds, missing
// types, categorical bitsets, sigmoid scaling) on a small model written in LightGBM's
// documented text layout. No LightGBM is installable here (Debian ships none), so this is
// not a reference check against LightGBM's own predictions — see docs/ml.md.
import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../dense-matrix.js';
import { importLightgbmText } from './lightgbm-import.js';

const MODEL = `tree
version=v4
num_class=1
num_tree_per_iteration=1
label_index=0
max_feature_idx=2
objective=binary sigmoid:1
feature_names=a b c
tree_sizes=0 0

Tree=0
num_leaves=3
num_cat=0
split_feature=0 1
split_gain=8 2
threshold=0.5 0.25
decision_type=0 10
left_child=1 -1
right_child=-3 -2
leaf_value=0.4 -0.6 0.2
shrinkage=1

Tree=1
num_leaves=2
num_cat=1
split_feature=2
split_gain=3
threshold=0
decision_type=1
left_child=-1
right_child=-2
leaf_value=1 -1
cat_boundaries=0 1
cat_threshold=10
shrinkage=0.1

end of trees

feature_importances:
a=1
`;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('importLightgbmText', () => {
  it('follows LightGBM decision rules', () => {
    const model = importLightgbmText(MODEL);
    const x = matrixFromRows([
      [0.5, NaN, 3], // 0.5 <= 0.5 left; NaN (missing NaN, default left) → 0.4; cat 3 in set → 1
      [NaN, 0.3, 2], // NaN (missing none) → 0 → left; 0.3 > 0.25 → -0.6; cat 2 → -1
      [0.7, 0, -1], // right leaf 0.2; negative category → -1
      [0.1, 0.25, NaN], // 0.25 <= 0.25 → 0.4; missing category → -1
    ]);
    const expected = [1.4, -1.6, -0.8, -0.6].map(sigmoid);
    const p = model.predict(x);
    expected.forEach((v, i) => expect(p[i]).toBeCloseTo(v, 12));
    expect(model.features.map((f) => f.type)).toEqual(['numeric', 'numeric', 'categorical']);
    expect(model.featureImportance().gain).toEqual([8, 2, 3]);
  });

  it('rejects text that is not a LightGBM model', () => {
    expect(() => importLightgbmText('hello')).toThrow(/not a LightGBM text model/);
    expect(() =>
      importLightgbmText(MODEL.replace('leaf_value=0.4 -0.6 0.2', 'leaf_value=0.4')),
    ).toThrow(/leaf_value/);
  });
});
