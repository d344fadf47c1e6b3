import type { PreprocessorSpec } from '../preprocess/preprocessor.js';
import type { OnnxGraph } from './onnx-graph.js';
import { ONNX_TYPE } from './onnx-graph.js';

/**
 * Adds Gyre's preprocessing to an ONNX graph as ONNX-ML operators, so the exported model
 * takes the raw columns: one input per column, named like it — numeric columns as float
 * [N, 1] (NaN for missing), string columns as string [N, 1] ('' for missing). Per column:
 * - numeric: `Imputer` (NaN → the training fill value), then `Scaler` ((x − mean) / sd);
 * - one-hot: `OneHotEncoder` (unknown and missing → all zeros), flattened to [N, K];
 * - ordinal: `LabelEncoder` (category → its code, unknown → NaN, a missing value).
 * Then `Concat` puts the model features side by side. Returns that [N, features] tensor.
 */
export function addPreprocessing(graph: OnnxGraph, spec: PreprocessorSpec): string {
  const parts: string[] = [];
  for (const column of spec.columns) {
    if (column.kind === 'numeric') {
      let x = graph.input(column.name, ONNX_TYPE.FLOAT, ['N', 1]);
      if (column.impute !== null) {
        [x] = graph.node('Imputer', [x], [graph.name(`${column.name}_imputed`)], {
          imputed_value_floats: { floats: [column.impute] },
          replaced_value_float: { float: NaN },
        });
      }
      if (column.standardize) {
        [x] = graph.node('Scaler', [x], [graph.name(`${column.name}_scaled`)], {
          offset: { floats: [column.standardize.mean] },
          scale: { floats: [1 / column.standardize.scale] },
        });
      }
      parts.push(x);
      continue;
    }
    const raw = graph.input(column.name, ONNX_TYPE.STRING, ['N', 1]);
    if (column.kind === 'onehot') {
      const [encoded] = graph.node('OneHotEncoder', [raw], [graph.name(`${column.name}_onehot`)], {
        cats_strings: column.categories,
        zeros: 1,
      });
      const [flat] = graph.node(
        'Flatten',
        [encoded],
        [graph.name(`${column.name}_flat`)],
        { axis: 1 },
        '',
      );
      parts.push(flat);
    } else {
      const [codes] = graph.node('LabelEncoder', [raw], [graph.name(`${column.name}_code`)], {
        keys_strings: column.categories,
        values_floats: { floats: column.categories.map((_, i) => i) },
        default_float: { float: NaN },
      });
      parts.push(codes);
    }
  }
  if (parts.length === 1) return parts[0];
  const [features] = graph.node('Concat', parts, [graph.name('features')], { axis: 1 }, '');
  return features;
}
