import { InvalidArgumentError } from '../../core/index.js';
import type { FeatureSpec } from '../feature-spec.js';
import { GbdtModel } from '../gbdt/gbdt-model.js';
import type { EnsembleHeader, OutputTransform, TreeSpec } from '../trees/tree-ensemble.js';
import { buildTreeEnsemble } from '../trees/tree-ensemble.js';
import type { Doc } from './json-access.js';
import { arr, field, floatArray, num, numArray, optionalField, str } from './json-access.js';
import { decodeUbjson } from './ubjson.js';
import { parseXgboostJsonText } from './xgboost-json-text.js';

/** How each XGBoost objective maps `base_score` to a margin and margins to predictions. */
function objectiveLink(name: string): {
  transform: OutputTransform;
  toMargin: (p: number) => number;
} {
  const identity = (p: number): number => p;
  const logit = (p: number): number => Math.log(p / (1 - p));
  if (
    name.startsWith('reg:') &&
    name !== 'reg:logistic' &&
    name !== 'reg:gamma' &&
    name !== 'reg:tweedie'
  ) {
    return { transform: 'identity', toMargin: identity };
  }
  switch (name) {
    case 'reg:logistic':
    case 'binary:logistic':
      return { transform: 'sigmoid', toMargin: logit };
    case 'binary:logitraw':
      // XGBoost 1.x keeps base_score as the margin for logitraw (no logit), checked
      // against real XGBoost 1.7.
      return { transform: 'identity', toMargin: identity };
    case 'binary:hinge':
      return { transform: 'step', toMargin: identity };
    case 'count:poisson':
    case 'reg:gamma':
    case 'reg:tweedie':
      return { transform: 'exp', toMargin: Math.log };
    case 'multi:softprob':
    case 'multi:softmax':
      // multi:softmax predicts the arg-max label; Gyre returns the probabilities behind it.
      return { transform: 'softmax', toMargin: identity };
    default:
      if (name.startsWith('rank:')) return { transform: 'identity', toMargin: identity };
      throw new InvalidArgumentError(`unsupported XGBoost objective ${name}`);
  }
}

function importTree(doc: Doc, i: number, output: number): TreeSpec {
  const path = `trees[${i}]`;
  const left = numArray(field(doc, path, 'left_children'), `${path}.left_children`);
  const right = numArray(field(doc, path, 'right_children'), `${path}.right_children`);
  const splitIndex = numArray(field(doc, path, 'split_indices'), `${path}.split_indices`);
  // XGBoost stores float32 and JSON prints the shortest decimal that rounds back to it;
  // read as a double, "-118.3" would differ from the float32 XGBoost compares against.
  // Categorical nodes have no threshold and store NaN.
  const cond = floatArray(field(doc, path, 'split_conditions'), `${path}.split_conditions`).map(
    Math.fround,
  );
  const defaultLeft = numArray(field(doc, path, 'default_left'), `${path}.default_left`);
  const loss = numArray(optionalField(doc, 'loss_changes') ?? [], `${path}.loss_changes`);
  const hess = numArray(optionalField(doc, 'sum_hessian') ?? [], `${path}.sum_hessian`);
  const n = left.length;
  for (const [name, a] of [
    ['right_children', right],
    ['split_indices', splitIndex],
    ['split_conditions', cond],
    ['default_left', defaultLeft],
  ] as const) {
    if (a.length !== n)
      throw new InvalidArgumentError(`${path}.${name} has ${a.length} entries, expected ${n}`);
  }
  const categories: (number[] | null)[] = new Array<number[] | null>(n).fill(null);
  const splitType = numArray(optionalField(doc, 'split_type') ?? [], `${path}.split_type`);
  if (splitType.some((t) => t === 1)) {
    const nodes = numArray(field(doc, path, 'categories_nodes'), `${path}.categories_nodes`);
    const segments = numArray(
      field(doc, path, 'categories_segments'),
      `${path}.categories_segments`,
    );
    const sizes = numArray(field(doc, path, 'categories_sizes'), `${path}.categories_sizes`);
    const cats = numArray(field(doc, path, 'categories'), `${path}.categories`);
    nodes.forEach((node, j) => {
      if (!(node >= 0 && node < n))
        throw new InvalidArgumentError(`${path}.categories_nodes[${j}] out of range`);
      categories[node] = cats.slice(segments[j], segments[j] + sizes[j]);
    });
  }
  const tree: TreeSpec = {
    output,
    feature: [],
    threshold: [],
    left: [],
    right: [],
    defaultLeft: [],
    value: [],
    gain: loss.length === n ? loss : undefined,
    cover: hess.length === n ? hess : undefined,
    categories,
  };
  for (let j = 0; j < n; j++) {
    const isLeaf = left[j] === -1;
    tree.feature.push(isLeaf ? -1 : splitIndex[j]);
    // Leaves keep their value in split_conditions (already scaled by eta).
    tree.threshold.push(isLeaf ? 0 : cond[j]);
    tree.value.push(isLeaf ? cond[j] : 0);
    tree.left.push(left[j]);
    tree.right.push(right[j]);
    tree.defaultLeft.push(defaultLeft[j] === 1);
    if (isLeaf) categories[j] = null;
  }
  return tree;
}

/**
 * Imports an XGBoost gbtree model from its JSON or UBJSON document (XGBoost 1.6+ schema),
 * into the same evaluator Gyre's own trees use.
 */
export function importXgboostModel(doc: Doc, featureNames?: string[]): GbdtModel {
  const learner = field(doc, 'model', 'learner');
  const booster = field(learner, 'learner', 'gradient_booster');
  const boosterName = str(field(booster, 'gradient_booster', 'name'), 'gradient_booster.name');
  if (boosterName !== 'gbtree') {
    throw new InvalidArgumentError(
      `only gbtree XGBoost models can be imported, got ${boosterName}`,
    );
  }
  const model = field(booster, 'gradient_booster', 'model');
  const param = field(learner, 'learner', 'learner_model_param');
  const numFeatures = num(field(param, 'learner_model_param', 'num_feature'), 'num_feature');
  const numClass = num(field(param, 'learner_model_param', 'num_class'), 'num_class');
  const numTarget = num(optionalField(param, 'num_target') ?? 1, 'num_target');
  if (numTarget !== 1)
    throw new InvalidArgumentError('multi-target XGBoost models are not supported');
  const objective = str(
    field(field(learner, 'learner', 'objective'), 'objective', 'name'),
    'objective.name',
  );
  const link = objectiveLink(objective);
  const numOutputs = Math.max(1, numClass);
  const baseScore = num(field(param, 'learner_model_param', 'base_score'), 'base_score');
  const treeInfo = numArray(field(model, 'model', 'tree_info'), 'tree_info');
  const trees = arr(field(model, 'model', 'trees'), 'trees').map((t, i) =>
    importTree(t, i, treeInfo[i] ?? 0),
  );
  const header: EnsembleHeader = {
    numFeatures,
    numOutputs,
    baseMargin: new Array<number>(numOutputs).fill(link.toMargin(baseScore)),
    transform: link.transform,
    float32Inputs: true,
  };
  const names = featureNames ?? stringList(optionalField(learner, 'feature_names'));
  const types = stringList(optionalField(learner, 'feature_types'));
  const features: FeatureSpec[] = Array.from({ length: numFeatures }, (_, i) => ({
    name: names?.[i] ?? `f${i}`,
    type: types?.[i] === 'c' ? 'categorical' : 'numeric',
  }));
  return new GbdtModel(buildTreeEnsemble(header, trees), features, {
    source: 'xgboost',
    xgboostObjective: objective,
    xgboostVersion: numArray(optionalField(doc, 'version') ?? [], 'version').join('.'),
  });
}

function stringList(doc: Doc): string[] | undefined {
  if (!Array.isArray(doc) || doc.length === 0) return undefined;
  return doc.map((v) => String(v));
}

/** Imports an XGBoost model saved as JSON text. */
export function importXgboostJson(text: string, featureNames?: string[]): GbdtModel {
  return importXgboostModel(parseXgboostJsonText(text), featureNames);
}

/** Imports an XGBoost model saved as UBJSON (`.ubj`). */
export function importXgboostUbj(bytes: Uint8Array, featureNames?: string[]): GbdtModel {
  return importXgboostModel(decodeUbjson(bytes), featureNames);
}
