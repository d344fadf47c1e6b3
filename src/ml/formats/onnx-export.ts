import { FailedPreconditionError } from '../../core/index.js';
import { GbdtModel } from '../gbdt/gbdt-model.js';
import type { Predictor } from '../servable-model.js';
import { ProtobufWriter } from './protobuf-writer.js';

/** ONNX attribute values Gyre writes. */
type Attr = number | string | number[] | string[] | { floats: ArrayLike<number> };

const ONNX_FLOAT = 1;
const ONNX_INT64 = 7;
const ML_OPSET = 3;
const ONNX_OPSET = 17;

function attribute(w: ProtobufWriter, name: string, value: Attr): void {
  w.message(5, (a) => {
    a.string(1, name);
    if (typeof value === 'number') a.int(20, 2).int(3, value);
    else if (typeof value === 'string') a.int(20, 3).string(4, value);
    else if ('floats' in value) a.int(20, 6).packedFloats(7, value.floats);
    else if (value.length > 0 && typeof value[0] === 'string') {
      a.int(20, 8);
      for (const s of value as string[]) a.string(9, s);
    } else a.int(20, 7).packedInts(8, value as number[]);
  });
}

function valueInfo(
  w: ProtobufWriter,
  field: number,
  name: string,
  elemType: number,
  dims: (number | string)[],
): void {
  w.message(field, (v) => {
    v.string(1, name);
    v.message(2, (t) =>
      t.message(1, (tensor) => {
        tensor.int(1, elemType);
        tensor.message(2, (shape) => {
          for (const d of dims) {
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
          }
        });
      }),
    );
  });
}

/** Tree arrays in the shape TreeEnsembleRegressor/Classifier attributes want. */
function treeAttributes(model: GbdtModel): {
  nodes: Record<string, Attr>;
  leaves: { tree: number[]; node: number[]; target: number[]; weight: number[] };
} {
  const e = model.ensemble;
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const values: number[] = [];
  const modes: string[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const leaves = {
    tree: [] as number[],
    node: [] as number[],
    target: [] as number[],
    weight: [] as number[],
  };
  e.trees.forEach((tree, t) => {
    if (tree.categories?.some((c) => c !== null)) {
      throw new FailedPreconditionError(
        'ONNX export does not support categorical splits; one-hot encode instead',
      );
    }
    for (let i = 0; i < tree.feature.length; i++) {
      const leaf = tree.feature[i] < 0;
      treeIds.push(t);
      nodeIds.push(i);
      featureIds.push(leaf ? 0 : tree.feature[i]);
      values.push(leaf ? 0 : tree.threshold[i]);
      modes.push(leaf ? 'LEAF' : 'BRANCH_LT');
      trueIds.push(leaf ? 0 : tree.left[i]);
      falseIds.push(leaf ? 0 : tree.right[i]);
      missingTrue.push(!leaf && tree.defaultLeft[i] ? 1 : 0);
      if (leaf) {
        leaves.tree.push(t);
        leaves.node.push(i);
        leaves.target.push(tree.output);
        leaves.weight.push(tree.value[i]);
      }
    }
  });
  return {
    nodes: {
      nodes_treeids: treeIds,
      nodes_nodeids: nodeIds,
      nodes_featureids: featureIds,
      nodes_values: { floats: values },
      nodes_modes: modes,
      nodes_truenodeids: trueIds,
      nodes_falsenodeids: falseIds,
      nodes_missing_value_tracks_true: missingTrue,
    },
    leaves,
  };
}

/**
 * Exports a Gyre predictor to ONNX (ai.onnx.ml opset 3): trees as TreeEnsembleRegressor or
 * TreeEnsembleClassifier, linear models as LinearRegressor or LinearClassifier. The graph
 * takes the model features (after preprocessing) as one float tensor `input` [N, features].
 * Regressors output `variable` [N, 1]; classifiers output `label` and `probabilities`.
 */
export function exportOnnx(predictor: Predictor): Uint8Array {
  const d = predictor.features.length;
  let op: string;
  const attrs: Record<string, Attr> = {};
  let classifier = false;
  let numClasses = 2;
  if (predictor instanceof GbdtModel) {
    const e = predictor.ensemble;
    const { nodes, leaves } = treeAttributes(predictor);
    Object.assign(attrs, nodes);
    if (e.transform === 'identity') {
      op = 'TreeEnsembleRegressor';
      Object.assign(attrs, {
        n_targets: e.numOutputs,
        target_treeids: leaves.tree,
        target_nodeids: leaves.node,
        target_ids: leaves.target,
        target_weights: { floats: leaves.weight },
        base_values: { floats: e.baseMargin },
        post_transform: 'NONE',
        aggregate_function: 'SUM',
      });
    } else if (e.transform === 'sigmoid' || e.transform === 'softmax') {
      op = 'TreeEnsembleClassifier';
      classifier = true;
      numClasses = e.transform === 'sigmoid' ? 2 : e.numOutputs;
      Object.assign(attrs, {
        class_treeids: leaves.tree,
        class_nodeids: leaves.node,
        class_ids: leaves.target,
        class_weights: { floats: leaves.weight },
        classlabels_int64s: Array.from({ length: numClasses }, (_, i) => i),
        base_values: { floats: e.baseMargin },
        post_transform: e.transform === 'sigmoid' ? 'LOGISTIC' : 'SOFTMAX',
      });
    } else {
      throw new FailedPreconditionError(
        `ONNX export does not support the ${e.transform} transform`,
      );
    }
  } else if (predictor.kind === 'regression') {
    op = 'LinearRegressor';
    Object.assign(attrs, {
      coefficients: { floats: predictor.weights },
      intercepts: { floats: [predictor.intercept] },
      targets: 1,
    });
  } else {
    op = 'LinearClassifier';
    classifier = true;
    // Class 0 scores 0 and class 1 scores z, so softmax over the pair is exactly sigmoid(z).
    const coefficients = [...new Array<number>(d).fill(0), ...predictor.weights];
    Object.assign(attrs, {
      coefficients: { floats: coefficients },
      intercepts: { floats: [0, predictor.intercept] },
      classlabels_ints: [0, 1],
      post_transform: 'SOFTMAX',
    });
  }
  const w = new ProtobufWriter();
  w.int(1, 8); // ir_version
  w.string(2, 'gyre');
  w.string(3, '0.1.0');
  w.message(7, (g) => {
    g.message(1, (node) => {
      node.string(1, 'input');
      if (classifier) node.string(2, 'label').string(2, 'probabilities');
      else node.string(2, 'variable');
      node.string(3, op);
      node.string(4, op);
      node.string(7, 'ai.onnx.ml');
      for (const [name, value] of Object.entries(attrs)) attribute(node, name, value);
    });
    g.string(2, 'gyre_model');
    valueInfo(g, 11, 'input', ONNX_FLOAT, ['N', d]);
    if (classifier) {
      valueInfo(g, 12, 'label', ONNX_INT64, ['N']);
      valueInfo(g, 12, 'probabilities', ONNX_FLOAT, ['N', numClasses]);
    } else {
      valueInfo(g, 12, 'variable', ONNX_FLOAT, ['N', predictor.numOutputs]);
    }
  });
  w.message(8, (o) => o.string(1, '').int(2, ONNX_OPSET));
  w.message(8, (o) => o.string(1, 'ai.onnx.ml').int(2, ML_OPSET));
  return w.finish();
}
