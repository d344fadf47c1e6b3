import { readArtifact, sha256Hex } from '../../../artifacts/index.js';
import { InvalidArgumentError, newUuid } from '../../../core/index.js';
import {
  GYRE_MODEL_FILE,
  MLMODEL_FILE,
  XGBOOST_EXPORT_VERSION,
  buildModelDirectory,
  exportXgboostJson,
  loadModelDirectory,
  parseMlmodel,
  GbdtModel,
  type ModelDirectory,
  type RawValue,
  type ServableModel,
} from '../../../ml/index.js';
import type { OutputValue, StepServices } from '../step-types.js';

const MODEL_PATH = 'model';
const CLASSES_FILE = 'classes.json';

/**
 * Logs a model to a step's tracking run as an MLflow model directory (`<run>/artifacts/model`):
 * the `gyre` flavor, plus the `xgboost` flavor for tree models (the XGBoost JSON export, which
 * takes the preprocessed features: numbers as they are, categories as codes). Returns the
 * `runs:/` URI as an artifact output whose digest is the model file's.
 */
export async function logModel(
  services: StepServices,
  runId: string,
  model: ServableModel,
  inputExample: RawValue[][],
  options: { classes?: string[]; gyreVersion?: string } = {},
): Promise<OutputValue> {
  const gyreVersion = options.gyreVersion ?? '0.1.0';
  const modelUuid = newUuid();
  const createdAt = new Date();
  const xgboost =
    model.predictor instanceof GbdtModel
      ? {
          bytes: exportXgboostJson(model.predictor),
          format: 'json' as const,
          version: XGBOOST_EXPORT_VERSION.join('.'),
        }
      : undefined;
  const files = buildModelDirectory(model, {
    modelUuid,
    createdAt,
    inputExample,
    gyreVersion,
    ...(xgboost ? { xgboost } : {}),
  });
  const root = await services.tracking.runs.artifactRoot(runId);
  if (root.storePath === undefined)
    throw new InvalidArgumentError(`run ${runId} keeps artifacts outside Gyre's store`);
  const dir = `${root.storePath}/${MODEL_PATH}`;
  // Class labels in code order: evaluation on another split must encode the truth the same way.
  if (options.classes) files.set(CLASSES_FILE, JSON.stringify(options.classes));
  for (const [name, content] of files) await services.artifacts.put(`${dir}/${name}`, content);
  const manifest = parseMlmodel(String(files.get(MLMODEL_FILE)));
  await services.tracking.runs.logModel(
    runId,
    JSON.stringify({ ...manifest, run_id: runId, artifact_path: MODEL_PATH }),
  );
  return {
    type: 'artifact',
    value: `runs:/${runId}/${MODEL_PATH}`,
    digest: sha256Hex(String(files.get(GYRE_MODEL_FILE))),
    storePath: dir,
  };
}

/** Loads a model from a `runs:/`, `models:/` or store URI through the registry's resolver. */
export async function loadModel(
  services: StepServices,
  uri: string,
): Promise<{ model: ServableModel; classes?: string[] }> {
  const resolved = await services.registry.resolveModelUri(uri);
  if (resolved.storePath === undefined)
    throw new InvalidArgumentError(
      `model ${uri} lies outside Gyre's artifact store (${resolved.artifactUri})`,
      { field: 'model' },
    );
  const files: ModelDirectory = new Map();
  for (const entry of await services.artifacts.list(resolved.storePath, { recursive: true })) {
    if (entry.isDir) continue;
    const name = entry.path.slice(resolved.storePath.length + 1);
    files.set(name, new Uint8Array(await readArtifact(services.artifacts, entry.path)));
  }
  if (files.size === 0)
    throw new InvalidArgumentError(`model ${uri} has no files`, { field: 'model' });
  const classes = files.get(CLASSES_FILE);
  return {
    model: loadModelDirectory(files),
    ...(classes
      ? { classes: JSON.parse(new TextDecoder().decode(classes as Uint8Array)) as string[] }
      : {}),
  };
}
