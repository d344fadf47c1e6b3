import {
  GYRE_MODEL_FILE,
  MLMODEL_FILE,
  ServableModel,
  importLightgbmText,
  loadModelDirectory,
  type ModelDirectory,
} from '../../../ml/index.js';
import { InvalidArgumentError } from '../../../core/index.js';
import { withMlflowSignature } from '../../signature/mlflow-signature.js';
import type { FlavorManifest, ModelFiles, RuntimeFactory } from '../model-runtime.js';
import { TreesRuntime, treesSignature } from './trees-runtime.js';

function dataFile(manifest: FlavorManifest, key: string, fallback?: string): string {
  const value = manifest.config[key] ?? fallback;
  if (typeof value !== 'string' || value === '')
    throw new InvalidArgumentError(`MLmodel flavor has no ${key} file`, { field: key });
  return value;
}

function runtimeOf(flavor: string, model: ServableModel, manifest: FlavorManifest): TreesRuntime {
  const signature = treesSignature(model);
  return new TreesRuntime(flavor, model, {
    ...signature,
    inputs: withMlflowSignature(signature.inputs, manifest.signatureInputs),
  });
}

/** Hands ml's directory loader the manifest and the one model file the flavor names. */
function directoryOf(files: ModelFiles, needed: string[]): ModelDirectory {
  const directory: ModelDirectory = new Map();
  for (const path of [MLMODEL_FILE, ...needed]) {
    const bytes = files.get(path);
    if (bytes) directory.set(path, bytes);
  }
  return directory;
}

/** Models Gyre trained and saved in its own JSON format (with their preprocessing). */
export const gyreFactory: RuntimeFactory = {
  flavor: 'gyre',
  filesNeeded: (m) => [dataFile(m, 'model_file', GYRE_MODEL_FILE)],
  async load(files, manifest) {
    const model = loadModelDirectory(directoryOf(files, this.filesNeeded(manifest)));
    return runtimeOf('gyre', model, manifest);
  },
};

/** XGBoost models logged by MLflow (JSON or UBJ), evaluated natively. */
export const xgboostFactory: RuntimeFactory = {
  flavor: 'xgboost',
  filesNeeded: (m) => [dataFile(m, 'data')],
  async load(files, manifest) {
    const model = loadModelDirectory(directoryOf(files, this.filesNeeded(manifest)));
    return runtimeOf('xgboost', model, manifest);
  },
};

/** LightGBM text models logged by MLflow (`mlflow.lightgbm`), evaluated natively. */
export const lightgbmFactory: RuntimeFactory = {
  flavor: 'lightgbm',
  filesNeeded: (m) => [dataFile(m, 'data', 'model.lgb')],
  async load(files, manifest) {
    const path = this.filesNeeded(manifest)[0];
    const bytes = files.get(path);
    if (!bytes) throw new InvalidArgumentError(`model directory has no ${path}`);
    const model = new ServableModel(importLightgbmText(new TextDecoder().decode(bytes)));
    return runtimeOf('lightgbm', model, manifest);
  },
};
