import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GyreError, InvalidArgumentError, isGyreError } from '../../core/index.js';
import {
  checkDatasetName,
  formatRef,
  type DatasetService,
  type DatasetVersion,
} from '../../data/index.js';
import { modelUriOf } from '../deployments/deployment-spec.js';
import { describe, type ModelLoader } from '../loader/model-loader.js';
import { batchPredict } from './batch-predict.js';

/** How predictions are written before they are registered (the version records it). */
export const PREDICTION_FORMATS = ['parquet', 'csv', 'ndjson'] as const;
export type PredictionFormat = (typeof PREDICTION_FORMATS)[number];

export interface DatasetPredictRequest {
  /** `housing@champion`, `housing/3` or a model URI. */
  model: string;
  /** The dataset version scored: `housing@3`, or `housing` for its latest. */
  dataset: string;
  /** The dataset the predictions become a new version of (default `<dataset>-predictions`). */
  outputDataset?: string;
  /** An input column copied beside each prediction (default `id` when there is one, else the row number). */
  idColumn?: string;
  /** Default parquet. */
  format?: PredictionFormat;
  chunkRows?: number;
  createdBy?: string;
  onProgress?(done: number, total: number): void;
}

export interface DatasetPredictResult {
  /** The version holding the predictions (an existing one when identical predictions were registered before). */
  version: DatasetVersion;
  created: boolean;
  rows: number;
  /** The model version that scored, e.g. `housing/3`. */
  model: string;
  /** The dataset version scored. */
  input: DatasetVersion;
}

/**
 * Scores a dataset version with a registered model and registers the predictions (beside the
 * id column) as a new version of another dataset. The version's transform records the input
 * version and the model version, so lineage links both to the predictions. The model is
 * pinned to a version before scoring: an alias that moves meanwhile changes nothing. Bad
 * inputs fail naming the input (`model: …`, `dataset: …`) before anything is written.
 */
export async function batchPredictToDataset(
  deps: { loader: ModelLoader; datasets: DatasetService },
  request: DatasetPredictRequest,
): Promise<DatasetPredictResult> {
  const format = request.format ?? 'parquet';
  if (!(PREDICTION_FORMATS as readonly string[]).includes(format))
    throw new InvalidArgumentError(
      `format: must be one of ${PREDICTION_FORMATS.join(', ')}, got ${String(format)}`,
      { field: 'format' },
    );
  const input = await naming('dataset', () => deps.datasets.getVersion(request.dataset));
  const outputName = checkDatasetName(
    request.outputDataset ?? `${input.datasetName}-predictions`,
    'output_dataset',
  );
  const model = await naming('model', () =>
    deps.loader.resolve(modelUriOf(request.model, 'model')),
  );
  const pinned = model.name !== undefined ? `models:/${model.name}/${model.version}` : model.uri;
  const dir = await mkdtemp(join(tmpdir(), 'gyre-batch-predict-'));
  try {
    const output = join(dir, `predictions.${format}`);
    const scored = await batchPredict(deps, {
      model: pinned,
      input,
      output,
      ...(request.idColumn !== undefined ? { idColumn: request.idColumn } : {}),
      ...(request.chunkRows !== undefined ? { chunkRows: request.chunkRows } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    const inputRef = formatRef(input.datasetName, input.version);
    const registered = await deps.datasets.ingest({
      source: output,
      name: outputName,
      format,
      createdBy: request.createdBy ?? 'unknown',
      tags: { model: describe(model), input: inputRef },
      recordAs: `predict:${describe(model)}`,
      transform: {
        kind: 'predict',
        spec: {
          model: describe(model),
          modelUri: model.uri,
          ...(model.name !== undefined
            ? { modelName: model.name, modelVersion: String(model.version) }
            : {}),
          dataset: inputRef,
          columns: scored.columns,
        },
        inputs: { dataset: input.id },
      },
    });
    return {
      version: registered.version,
      created: registered.created,
      rows: scored.rows,
      model: scored.model,
      input,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `load`, prefixing a Gyre error's message with the input it came from. */
async function naming<T>(field: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isGyreError(error) || error.message.startsWith(`${field}:`)) throw error;
    throw new GyreError(
      error.code,
      `${field}: ${error.message}`,
      { ...error.details, field },
      { cause: error },
    );
  }
}
