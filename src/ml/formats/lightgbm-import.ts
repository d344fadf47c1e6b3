import { InvalidArgumentError } from '../../core/index.js';
import type { FeatureSpec } from '../feature-spec.js';
import { GbdtModel } from '../gbdt/gbdt-model.js';
import type { OutputTransform, TreeSpec } from '../trees/tree-ensemble.js';
import { buildTreeEnsemble } from '../trees/tree-ensemble.js';

/** The smallest double greater than x: LightGBM's `x <= t` is Gyre's `x < nextUp(t)`. */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

function parseSections(text: string): {
  header: Map<string, string>;
  trees: Map<string, string>[];
} {
  const header = new Map<string, string>();
  const trees: Map<string, string>[] = [];
  let current = header;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'end of trees') break;
    if (line.startsWith('Tree=')) {
      current = new Map([['Tree', line.slice(5)]]);
      trees.push(current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return { header, trees };
}

function numbers(
  section: Map<string, string>,
  key: string,
  where: string,
  expected: number,
): number[] {
  const raw = section.get(key);
  if (raw === undefined) throw new InvalidArgumentError(`${where} is missing ${key}`);
  const values = raw === '' ? [] : raw.split(' ').map(Number);
  if (values.length !== expected || values.some((v) => Number.isNaN(v))) {
    throw new InvalidArgumentError(`${where}.${key} must hold ${expected} numbers`);
  }
  return values;
}

function objectiveOf(line: string): { transform: OutputTransform; scale: number } {
  const [name, ...args] = line.split(' ');
  const arg = (key: string): number | undefined => {
    const a = args.find((s) => s.startsWith(`${key}:`));
    return a === undefined ? undefined : Number(a.slice(key.length + 1));
  };
  switch (name) {
    case 'binary':
    case 'multiclassova':
      // sigmoid(σ·margin): folding σ into the leaves keeps the evaluator's plain sigmoid.
      return { transform: 'sigmoid', scale: arg('sigmoid') ?? 1 };
    case 'cross_entropy':
    case 'xentropy':
      return { transform: 'sigmoid', scale: 1 };
    case 'multiclass':
    case 'softmax':
      return { transform: 'softmax', scale: 1 };
    case 'poisson':
    case 'gamma':
    case 'tweedie':
      return { transform: 'exp', scale: 1 };
    default:
      return { transform: 'identity', scale: 1 };
  }
}

/**
 * Converts one LightGBM tree. LightGBM numbers inner nodes 0..L-2 and leaves ~i (negative);
 * Gyre puts leaves after inner nodes. LightGBM sends categories in the set left and Gyre
 * (like XGBoost) right, so categorical nodes swap their children.
 */
function convertTree(section: Map<string, string>, output: number, scale: number): TreeSpec {
  const where = `Tree=${section.get('Tree')}`;
  const numLeaves = Number(section.get('num_leaves'));
  if (!Number.isInteger(numLeaves) || numLeaves < 1)
    throw new InvalidArgumentError(`${where} has no num_leaves`);
  if (section.get('is_linear') === '1')
    throw new InvalidArgumentError('LightGBM linear trees are not supported');
  const leafValue = numbers(section, 'leaf_value', where, numLeaves);
  const inner = numLeaves - 1;
  const tree: TreeSpec = {
    output,
    feature: [],
    threshold: [],
    left: [],
    right: [],
    defaultLeft: [],
    value: [],
    gain: [],
    categories: [],
  };
  const leafAt = (leaf: number): number => inner + leaf;
  const child = (c: number): number => (c < 0 ? leafAt(~c) : c);
  if (inner > 0) {
    const feature = numbers(section, 'split_feature', where, inner);
    const threshold = numbers(section, 'threshold', where, inner);
    const decision = numbers(section, 'decision_type', where, inner);
    const leftChild = numbers(section, 'left_child', where, inner);
    const rightChild = numbers(section, 'right_child', where, inner);
    const gain = section.has('split_gain')
      ? numbers(section, 'split_gain', where, inner)
      : new Array<number>(inner).fill(0);
    const numCat = Number(section.get('num_cat') ?? 0);
    const catBoundaries = numCat > 0 ? numbers(section, 'cat_boundaries', where, numCat + 1) : [];
    const catThreshold =
      numCat > 0 ? numbers(section, 'cat_threshold', where, catBoundaries[numCat]) : [];
    for (let i = 0; i < inner; i++) {
      const d = decision[i];
      const categorical = (d & 1) === 1;
      const lgbDefaultLeft = (d & 2) === 2;
      const missingType = (d >> 2) & 3;
      let l = child(leftChild[i]);
      let r = child(rightChild[i]);
      tree.feature.push(feature[i]);
      tree.gain!.push(gain[i]);
      tree.value.push(0);
      if (categorical) {
        const k = threshold[i];
        const cats: number[] = [];
        for (let w = catBoundaries[k]; w < catBoundaries[k + 1]; w++) {
          for (let b = 0; b < 32; b++)
            if ((catThreshold[w] >>> b) & 1) cats.push((w - catBoundaries[k]) * 32 + b);
        }
        [l, r] = [r, l];
        tree.threshold.push(0);
        tree.categories!.push(cats);
        // NaN goes LightGBM-right (Gyre-left after the swap) when missing type is NaN;
        // otherwise LightGBM reads it as category 0. Negative codes go right either way.
        tree.defaultLeft.push(missingType === 2 ? true : !cats.includes(0));
      } else {
        const t = threshold[i];
        if (missingType === 1 && lgbDefaultLeft !== 0 <= t) {
          throw new InvalidArgumentError(
            `${where} node ${i}: zero-as-missing splits that disagree with the threshold are not supported`,
          );
        }
        tree.threshold.push(nextUp(t));
        tree.categories!.push(null);
        // missing_type None turns NaN into 0; NaN and Zero send missing to the default side.
        tree.defaultLeft.push(missingType === 0 ? 0 <= t : lgbDefaultLeft);
      }
      tree.left.push(l);
      tree.right.push(r);
    }
  }
  for (let leaf = 0; leaf < numLeaves; leaf++) {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.defaultLeft.push(false);
    tree.value.push(leafValue[leaf] * scale);
    tree.gain!.push(0);
    tree.categories!.push(null);
  }
  return tree;
}

/**
 * Imports a LightGBM model saved as text (`model.txt`, `save_model`) into Gyre's evaluator.
 * Inputs are compared as doubles, as LightGBM does.
 */
export function importLightgbmText(text: string): GbdtModel {
  const { header, trees } = parseSections(text);
  if (!header.has('max_feature_idx'))
    throw new InvalidArgumentError('not a LightGBM text model: max_feature_idx is missing');
  const numFeatures = Number(header.get('max_feature_idx')) + 1;
  const numClass = Number(header.get('num_class') ?? 1);
  const perIteration = Number(header.get('num_tree_per_iteration') ?? numClass);
  const { transform, scale } = objectiveOf(header.get('objective') ?? 'regression');
  const names = header.get('feature_names')?.split(' ');
  const features: FeatureSpec[] = Array.from({ length: numFeatures }, (_, i) => ({
    name: names?.[i] ?? `f${i}`,
    type: 'numeric',
  }));
  const specs = trees.map((t, i) => convertTree(t, i % perIteration, scale));
  for (const spec of specs) {
    spec.categories?.forEach((c, node) => {
      if (c !== null)
        features[spec.feature[node]] = { ...features[spec.feature[node]], type: 'categorical' };
    });
  }
  const ensemble = buildTreeEnsemble(
    {
      numFeatures,
      numOutputs: perIteration,
      baseMargin: new Array<number>(perIteration).fill(0),
      transform,
      float32Inputs: false,
    },
    specs,
  );
  return new GbdtModel(ensemble, features, {
    source: 'lightgbm',
    lightgbmObjective: header.get('objective') ?? '',
  });
}
