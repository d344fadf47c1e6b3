import { parse, stringify } from 'yaml';
import { FailedPreconditionError, InvalidArgumentError } from '../../core/index.js';
import type { RawValue } from '../preprocess/preprocessor.js';
import { ServableModel } from '../servable-model.js';
import { parseGyreModel, serializeGyreModel } from './gyre-format.js';
import { importXgboostJson, importXgboostUbj } from './xgboost-import.js';

/**
 * A model directory as files in memory: relative path → bytes or text. ml stays pure; the
 * caller (tracking, registry) writes it to an artifact store.
 */
export type ModelDirectory = Map<string, Uint8Array | string>;

export const GYRE_MODEL_FILE = 'model.gyre.json';
export const MLMODEL_FILE = 'MLmodel';
const INPUT_EXAMPLE_FILE = 'input_example.json';

/** Options for {@link buildModelDirectory}. */
export interface ModelDirectoryOptions {
  /** Stamped into the manifest; pass them in so output is reproducible. */
  modelUuid: string;
  createdAt: Date;
  /** A few raw rows in signature order, saved as MLflow's `input_example.json`. */
  inputExample?: RawValue[][];
  /** The original XGBoost file, when the model was imported from XGBoost. */
  xgboost?: { bytes: Uint8Array | string; format: 'json' | 'ubj'; version: string };
  /** An ONNX export of the model, added as the `onnx` flavor. */
  onnx?: { bytes: Uint8Array; opset: number };
  gyreVersion?: string;
}

/** Column-based MLflow signature, as the JSON strings the MLmodel file embeds. */
function mlflowSignature(model: ServableModel): { inputs: string; outputs: string } {
  const inputs = model.inputs.map((i) => ({ type: i.type, name: i.name, required: true }));
  const shape = model.numOutputs === 1 ? [-1] : [-1, model.numOutputs];
  const outputs = [{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape } }];
  return { inputs: JSON.stringify(inputs), outputs: JSON.stringify(outputs) };
}

/**
 * Builds a model directory with an MLflow `MLmodel` manifest: the `gyre` flavor always,
 * plus `xgboost` (and `python_function`) for imported XGBoost models and `onnx` when an
 * export is attached, so MLflow tools can read what Gyre saves.
 */
export function buildModelDirectory(
  model: ServableModel,
  options: ModelDirectoryOptions,
): ModelDirectory {
  const files: ModelDirectory = new Map();
  files.set(GYRE_MODEL_FILE, serializeGyreModel(model));
  const flavors: Record<string, unknown> = {
    gyre: {
      model_file: GYRE_MODEL_FILE,
      format: 'gyre-model',
      schema_version: 1,
      gyre_version: options.gyreVersion ?? '0.1.0',
    },
  };
  if (options.xgboost) {
    const data = options.xgboost.format === 'json' ? 'model.json' : 'model.ubj';
    files.set(data, options.xgboost.bytes);
    flavors.python_function = {
      loader_module: 'mlflow.xgboost',
      data,
      env: { virtualenv: 'python_env.yaml' },
    };
    flavors.xgboost = {
      code: null,
      data,
      model_class: 'xgboost.core.Booster',
      model_format: options.xgboost.format,
      xgb_version: options.xgboost.version,
    };
  }
  if (options.onnx) {
    files.set('model.onnx', options.onnx.bytes);
    flavors.onnx = {
      data: 'model.onnx',
      providers: ['CPUExecutionProvider'],
      onnx_version: '1.13.0',
      opset: options.onnx.opset,
    };
  }
  const manifest: Record<string, unknown> = {
    artifact_path: 'model',
    flavors,
    model_uuid: options.modelUuid,
    utc_time_created: options.createdAt.toISOString().replace('T', ' ').replace('Z', ''),
    signature: mlflowSignature(model),
  };
  if (options.inputExample) {
    const columns = model.inputs.map((i) => i.name);
    files.set(INPUT_EXAMPLE_FILE, JSON.stringify({ columns, data: options.inputExample }));
    manifest.saved_input_example_info = {
      artifact_path: INPUT_EXAMPLE_FILE,
      type: 'dataframe',
      pandas_orient: 'split',
    };
  }
  files.set(MLMODEL_FILE, stringify(manifest));
  return files;
}

/** Reads an MLflow `MLmodel` manifest. */
export function parseMlmodel(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new InvalidArgumentError('MLmodel is not valid YAML', {}, { cause: error });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InvalidArgumentError('MLmodel must be a YAML mapping');
  }
  return doc as Record<string, unknown>;
}

const asBytes = (v: Uint8Array | string): Uint8Array =>
  typeof v === 'string' ? new TextEncoder().encode(v) : v;
const asText = (v: Uint8Array | string): string =>
  typeof v === 'string' ? v : new TextDecoder().decode(v);

/** Paths inside the manifest must stay inside the directory. */
function fileOf(files: ModelDirectory, path: unknown): Uint8Array | string {
  if (typeof path !== 'string' || path.startsWith('/') || path.split('/').includes('..')) {
    throw new InvalidArgumentError(`MLmodel names an invalid model file: ${String(path)}`);
  }
  const f = files.get(path);
  if (f === undefined) throw new InvalidArgumentError(`model directory has no ${path}`);
  return f;
}

/**
 * Loads a servable model from a directory: Gyre's own flavor when present, otherwise an
 * MLflow-logged XGBoost model (JSON or UBJ). Other flavors (ONNX) are served by serving.
 */
export function loadModelDirectory(files: ModelDirectory): ServableModel {
  const mlmodel = files.get(MLMODEL_FILE);
  const flavors = mlmodel
    ? ((parseMlmodel(asText(mlmodel)).flavors ?? {}) as Record<string, Record<string, unknown>>)
    : {};
  if (flavors.gyre || (!mlmodel && files.has(GYRE_MODEL_FILE))) {
    return parseGyreModel(asText(fileOf(files, flavors.gyre?.model_file ?? GYRE_MODEL_FILE)));
  }
  if (flavors.xgboost) {
    const bytes = asBytes(fileOf(files, flavors.xgboost.data));
    // MLflow's default `.xgb` extension is XGBoost's legacy binary in 1.x and UBJ in 2.x;
    // the first bytes tell JSON and UBJ apart.
    if (bytes[0] === 0x7b && bytes[1] === 0x22)
      return new ServableModel(importXgboostJson(asText(bytes)));
    if (bytes[0] === 0x7b) return new ServableModel(importXgboostUbj(bytes));
    throw new InvalidArgumentError(
      'XGBoost legacy binary models are not supported; save as JSON or UBJ',
    );
  }
  throw new FailedPreconditionError('model directory has no flavor Gyre can evaluate', {
    flavors: Object.keys(flavors),
  });
}
