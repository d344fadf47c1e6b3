import { InvalidArgumentError } from '../../core/index.js';
import type { GbdtModel } from '../gbdt/gbdt-model.js';
import type { TreeSpec } from '../trees/tree-ensemble.js';

/** The XGBoost release whose JSON schema this writes (read by XGBoost 1.6 and later). */
export const XGBOOST_EXPORT_VERSION = [1, 7, 4] as const;

/** XGBoost objective and its parameter block, from what the model was trained with. */
function objectiveOf(model: GbdtModel): { name: string; params: Record<string, unknown> } {
  const imported = model.params.xgboostObjective;
  const gyre = model.params.objective;
  const numClass = String(model.numOutputs);
  const named = (name: string): { name: string; params: Record<string, unknown> } => {
    switch (name) {
      case 'multi:softprob':
      case 'multi:softmax':
        return { name, params: { softmax_multiclass_param: { num_class: numClass } } };
      case 'reg:pseudohubererror':
        return {
          name,
          params: { pseudo_huber_param: { huber_slope: String(model.params.huberDelta ?? 1) } },
        };
      case 'count:poisson':
        return { name, params: { poisson_regression_param: { max_delta_step: '0.7' } } };
      default:
        return { name, params: { reg_loss_param: { scale_pos_weight: '1' } } };
    }
  };
  if (typeof imported === 'string') return named(imported);
  const byGyre: Record<string, string> = {
    squared_error: 'reg:squarederror',
    absolute_error: 'reg:absoluteerror',
    huber: 'reg:pseudohubererror',
    binary_logloss: 'binary:logistic',
    multiclass_softmax: 'multi:softprob',
  };
  if (typeof gyre === 'string' && byGyre[gyre]) return named(byGyre[gyre]);
  const byTransform: Record<typeof model.ensemble.transform, string> = {
    identity: 'reg:squarederror',
    sigmoid: 'binary:logistic',
    softmax: 'multi:softprob',
    exp: 'count:poisson',
    step: 'binary:hinge',
  };
  return named(byTransform[model.ensemble.transform]);
}

/** XGBoost's base_score is a prediction, not a margin, for objectives with a link function. */
function baseScoreOf(transform: string, margin: number): number {
  if (transform === 'sigmoid') return 1 / (1 + Math.exp(-margin));
  if (transform === 'exp') return Math.exp(margin);
  return margin;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The smallest float32 at or above `t`. XGBoost stores thresholds as float32 and sends
 * `x < threshold` left, as Gyre does; for every float32 input x, `x < t` exactly when
 * `x < roundUp(t)`, so rounding up keeps every split where it was.
 */
function roundUpToFloat32(t: number): number {
  const f = Math.fround(t);
  if (f >= t || !Number.isFinite(f)) return f;
  f32[0] = f;
  if (f > 0) u32[0] += 1;
  else if (f < 0) u32[0] -= 1;
  else u32[0] = 1;
  return f32[0];
}

/**
 * A list XGBoost reads as floats. Its JSON reader types numbers by their text: `200` is an
 * integer and fails where a float is expected, so floats are always written with a point.
 */
class Floats {
  constructor(readonly values: number[]) {}
}

function floatText(v: number): string {
  if (!Number.isFinite(v))
    throw new InvalidArgumentError(`cannot export the non-finite value ${v}`);
  const text = Object.is(v, -0) ? '-0' : String(v);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** JSON.stringify, except that Floats are written as float arrays. */
function toJson(value: unknown): string {
  if (value instanceof Floats) return `[${value.values.map(floatText).join(',')}]`;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * A float parameter as XGBoost writes it (`2.07375797E5`): its parameter parser rejects long
 * plain decimals such as `207375.796875` and silently keeps its default instead. Nine
 * significant digits round-trip every float32.
 */
function parameterText(v: number): string {
  return Math.fround(v).toExponential(8).replace('e+', 'E').replace('e-', 'E-');
}

/** Feature names XGBoost accepts: no '[', ']' or '<'. */
const xgboostName = (name: string) => name.replace(/[[\]<]/g, '_');

function exportTree(tree: TreeSpec, id: number, numFeatures: number, leafShift: number) {
  // Breadth-first renumbering: XGBoost needs parents before children and a parent list.
  const order: number[] = [0];
  const newId = new Map<number, number>([[0, 0]]);
  for (let q = 0; q < order.length; q++) {
    const i = order[q];
    if (tree.feature[i] < 0) continue;
    for (const child of [tree.left[i], tree.right[i]]) {
      newId.set(child, order.length);
      order.push(child);
    }
  }
  const n = order.length;
  const out = {
    base_weights: new Array<number>(n),
    categories: [] as number[],
    categories_nodes: [] as number[],
    categories_segments: [] as number[],
    categories_sizes: [] as number[],
    default_left: new Array<number>(n),
    id,
    left_children: new Array<number>(n),
    loss_changes: new Array<number>(n),
    parents: new Array<number>(n).fill(2147483647),
    right_children: new Array<number>(n),
    split_conditions: new Array<number>(n),
    split_indices: new Array<number>(n),
    split_type: new Array<number>(n),
    sum_hessian: new Array<number>(n),
    tree_param: {
      num_deleted: '0',
      num_feature: String(numFeatures),
      num_nodes: String(n),
      size_leaf_vector: '0',
    },
  };
  order.forEach((i, j) => {
    const leaf = tree.feature[i] < 0;
    out.loss_changes[j] = leaf ? 0 : Math.fround(tree.gain?.[i] ?? 0);
    out.sum_hessian[j] = Math.fround(tree.cover?.[i] ?? 0);
    if (leaf) {
      const value = Math.fround(tree.value[i] + leafShift);
      out.base_weights[j] = value;
      out.left_children[j] = -1;
      out.right_children[j] = -1;
      out.split_conditions[j] = value;
      out.split_indices[j] = 0;
      out.split_type[j] = 0;
      out.default_left[j] = 0;
      return;
    }
    const left = newId.get(tree.left[i])!;
    const right = newId.get(tree.right[i])!;
    out.base_weights[j] = Math.fround(tree.value[i]);
    out.left_children[j] = left;
    out.right_children[j] = right;
    out.parents[left] = j;
    out.parents[right] = j;
    out.split_indices[j] = tree.feature[i];
    out.default_left[j] = tree.defaultLeft[i] ? 1 : 0;
    const cats = tree.categories?.[i];
    if (cats) {
      // Categories listed at a node go right, in XGBoost as in Gyre.
      const sorted = [...cats].sort((a, b) => a - b);
      out.split_type[j] = 1;
      out.split_conditions[j] = 0;
      out.categories_nodes.push(j);
      out.categories_segments.push(out.categories.length);
      out.categories_sizes.push(sorted.length);
      out.categories.push(...sorted);
    } else {
      out.split_type[j] = 0;
      out.split_conditions[j] = roundUpToFloat32(tree.threshold[i]);
    }
  });
  return {
    ...out,
    base_weights: new Floats(out.base_weights),
    loss_changes: new Floats(out.loss_changes),
    split_conditions: new Floats(out.split_conditions),
    sum_hessian: new Floats(out.sum_hessian),
  };
}

/**
 * Writes a Gyre tree model as an XGBoost JSON model (the schema XGBoost 1.6+ saves and
 * loads), so `xgboost.Booster(model_file=…)` and MLflow's XGBoost flavor predict what Gyre
 * predicts. Native categorical splits become XGBoost categorical splits (`feature_types`
 * `c`); XGBoost needs `enable_categorical` on the DMatrix to evaluate them. Per-output
 * starting margins XGBoost cannot hold (one base_score only) are folded into the leaves of
 * each output's first tree.
 */
export function exportXgboostJson(model: GbdtModel): string {
  const e = model.ensemble;
  if (e.trees.length === 0) throw new InvalidArgumentError('the model has no trees to export');
  const objective = objectiveOf(model);
  const base = e.baseMargin[0];
  const seen = new Set<number>();
  const trees = e.trees.map((tree, id) => {
    // The first tree of each output carries that output's offset from the shared base margin.
    const shift = seen.has(tree.output) ? 0 : e.baseMargin[tree.output] - base;
    seen.add(tree.output);
    return exportTree(tree, id, e.numFeatures, shift);
  });
  const doc = {
    learner: {
      attributes: {},
      feature_names: model.features.map((f) => xgboostName(f.name)),
      feature_types: model.features.map((f) => (f.type === 'categorical' ? 'c' : 'q')),
      gradient_booster: {
        model: {
          gbtree_model_param: {
            num_parallel_tree: '1',
            num_trees: String(trees.length),
            size_leaf_vector: '0',
          },
          tree_info: e.trees.map((t) => t.output),
          trees,
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: parameterText(baseScoreOf(e.transform, base)),
        boost_from_average: '1',
        num_class: e.numOutputs > 1 ? String(e.numOutputs) : '0',
        num_feature: String(e.numFeatures),
        num_target: '1',
      },
      objective: { name: objective.name, ...objective.params },
    },
    version: [...XGBOOST_EXPORT_VERSION],
  };
  return toJson(doc);
}
