import { FailedPreconditionError } from '../../core/index.js';
import { GbdtModel } from '../gbdt/gbdt-model.js';
import type { Predictor } from '../servable-model.js';
import { ServableModel } from '../servable-model.js';
import type { OnnxAttr } from './onnx-graph.js';
import { ML_OPSET, ONNX_TYPE, OnnxGraph } from './onnx-graph.js';
import { addPreprocessing } from './onnx-preprocessing.js';
import { onnxTreeArrays } from './onnx-trees.js';

export { ML_OPSET as ONNX_ML_OPSET };

/** The model operator and its attributes; classifiers output labels and probabilities. */
function modelOperator(predictor: Predictor): {
  op: string;
  attrs: Record<string, OnnxAttr>;
  numClasses: number | null;
} {
  const d = predictor.features.length;
  if (predictor instanceof GbdtModel) {
    const e = predictor.ensemble;
    const { nodes, leaves } = onnxTreeArrays(e);
    if (e.transform === 'identity') {
      return {
        op: 'TreeEnsembleRegressor',
        numClasses: null,
        attrs: {
          ...nodes,
          n_targets: e.numOutputs,
          target_treeids: leaves.tree,
          target_nodeids: leaves.node,
          target_ids: leaves.target,
          target_weights: { floats: leaves.weight },
          base_values: { floats: e.baseMargin },
          post_transform: 'NONE',
          aggregate_function: 'SUM',
        },
      };
    }
    if (e.transform === 'sigmoid' || e.transform === 'softmax') {
      const numClasses = e.transform === 'sigmoid' ? 2 : e.numOutputs;
      return {
        op: 'TreeEnsembleClassifier',
        numClasses,
        attrs: {
          ...nodes,
          class_treeids: leaves.tree,
          class_nodeids: leaves.node,
          class_ids: leaves.target,
          class_weights: { floats: leaves.weight },
          classlabels_int64s: Array.from({ length: numClasses }, (_, i) => i),
          base_values: { floats: e.baseMargin },
          post_transform: e.transform === 'sigmoid' ? 'LOGISTIC' : 'SOFTMAX',
        },
      };
    }
    throw new FailedPreconditionError(`ONNX export does not support the ${e.transform} transform`);
  }
  if (predictor.kind === 'regression') {
    return {
      op: 'LinearRegressor',
      numClasses: null,
      attrs: {
        coefficients: { floats: predictor.weights },
        intercepts: { floats: [predictor.intercept] },
        targets: 1,
      },
    };
  }
  // Class 0 scores 0 and class 1 scores z, so softmax over the pair is exactly sigmoid(z).
  return {
    op: 'LinearClassifier',
    numClasses: 2,
    attrs: {
      coefficients: { floats: [...new Array<number>(d).fill(0), ...predictor.weights] },
      intercepts: { floats: [0, predictor.intercept] },
      classlabels_ints: [0, 1],
      post_transform: 'SOFTMAX',
    },
  };
}

/**
 * Exports a model to ONNX (IR 8, `ai.onnx.ml` opset 3): trees as TreeEnsembleRegressor or
 * TreeEnsembleClassifier (categorical splits as BRANCH_EQ chains), linear models as
 * LinearRegressor or LinearClassifier.
 *
 * A {@link ServableModel} with preprocessing exports it too (Imputer, Scaler,
 * OneHotEncoder, LabelEncoder, Concat), and the graph takes the raw columns: one input per
 * column, by name — float [N, 1] for numeric columns (NaN missing), string [N, 1] for
 * string columns ('' missing). A bare predictor takes one float tensor `input`
 * [N, features]. Regressors output `variable` [N, outputs]; classifiers output `label` [N]
 * and `probabilities` [N, classes].
 */
export function exportOnnx(model: Predictor | ServableModel): Uint8Array {
  const servable = model instanceof ServableModel ? model : null;
  const predictor = servable ? servable.predictor : (model as Predictor);
  const graph = new OnnxGraph();
  const features = servable?.preprocessor
    ? addPreprocessing(graph, servable.preprocessor.spec)
    : graph.input('input', ONNX_TYPE.FLOAT, ['N', predictor.features.length]);
  const { op, attrs, numClasses } = modelOperator(predictor);
  if (numClasses === null) {
    graph.node(op, [features], ['variable'], attrs);
    graph.output('variable', ONNX_TYPE.FLOAT, ['N', predictor.numOutputs]);
  } else {
    graph.node(op, [features], ['label', 'probabilities'], attrs);
    graph.output('label', ONNX_TYPE.INT64, ['N']);
    graph.output('probabilities', ONNX_TYPE.FLOAT, ['N', numClasses]);
  }
  return graph.toBytes();
}
