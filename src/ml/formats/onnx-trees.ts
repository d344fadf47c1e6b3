import type { TreeEnsemble, TreeSpec } from '../trees/tree-ensemble.js';
import type { OnnxAttr } from './onnx-graph.js';

/** The node and leaf attribute arrays of ONNX's TreeEnsembleRegressor / Classifier. */
export interface OnnxTreeArrays {
  nodes: Record<string, OnnxAttr>;
  leaves: { tree: number[]; node: number[]; target: number[]; weight: number[] };
}

/**
 * Writes trees as ONNX tree-ensemble arrays. Numeric splits are BRANCH_LT (`x < t` is the
 * true branch, left). A categorical split — codes in a set go right — becomes a chain of
 * BRANCH_EQ nodes, one per category in the set, each sending its category to the right
 * subtree and the rest on down the chain, the last to the left subtree; the right subtree
 * is shared by the chain (onnxruntime accepts a node with several parents). Missing values
 * follow the default side: the first chain node sends NaN right when the default is
 * right; otherwise NaN fails every equality and reaches the left subtree.
 */
export function onnxTreeArrays(e: TreeEnsemble): OnnxTreeArrays {
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
  const push = (
    t: number,
    id: number,
    feature: number,
    value: number,
    mode: string,
    ifTrue: number,
    ifFalse: number,
    nanTrue: boolean,
  ): void => {
    treeIds.push(t);
    nodeIds.push(id);
    featureIds.push(feature);
    values.push(value);
    modes.push(mode);
    trueIds.push(ifTrue);
    falseIds.push(ifFalse);
    missingTrue.push(nanTrue ? 1 : 0);
  };
  e.trees.forEach((tree: TreeSpec, t) => {
    // Chain nodes get ids after the tree's own nodes.
    let nextId = tree.feature.length;
    for (let i = 0; i < tree.feature.length; i++) {
      const f = tree.feature[i];
      if (f < 0) {
        push(t, i, 0, 0, 'LEAF', 0, 0, false);
        leaves.tree.push(t);
        leaves.node.push(i);
        leaves.target.push(tree.output);
        leaves.weight.push(tree.value[i]);
        continue;
      }
      const cats = tree.categories?.[i] ?? null;
      if (cats === null) {
        push(
          t,
          i,
          f,
          tree.threshold[i],
          'BRANCH_LT',
          tree.left[i],
          tree.right[i],
          tree.defaultLeft[i],
        );
        continue;
      }
      if (cats.length === 0) {
        // An empty set sends every code left; NaN still follows the default.
        push(t, i, f, -1, 'BRANCH_EQ', tree.right[i], tree.left[i], !tree.defaultLeft[i]);
        continue;
      }
      let id = i;
      cats.forEach((code, c) => {
        const last = c === cats.length - 1;
        const ifFalse = last ? tree.left[i] : nextId;
        push(t, id, f, code, 'BRANCH_EQ', tree.right[i], ifFalse, c === 0 && !tree.defaultLeft[i]);
        if (!last) id = nextId++;
      });
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
