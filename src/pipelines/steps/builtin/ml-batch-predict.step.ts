import { InvalidArgumentError } from '../../../core/index.js';
import { PREDICTION_FORMATS, batchPredictToDataset } from '../../../serving/index.js';
import type { BuiltinStep } from '../step-types.js';
import { datasetOutput, metric } from './outputs.js';

/**
 * Scores a dataset version with a registered model in chunks (serving's batch prediction)
 * and registers the predictions, joined to an id column, as a new version of another
 * dataset, with lineage to the input version and the model version.
 */
export const mlBatchPredictStep: BuiltinStep = {
  uses: 'ml/batch-predict',
  description:
    'Score a dataset version with a model in chunks; the predictions become a new dataset version.',
  // The model input may be an alias (housing@champion), which the cache key cannot see move:
  // a cached run would hand back predictions of the model the alias pointed at before.
  cacheable: false,
  inputs: {
    model: {
      type: 'model',
      required: true,
      description:
        'The model that scores: ${{ steps.register.outputs.model }}, models:/housing@champion, housing/3.',
    },
    dataset: {
      type: 'dataset',
      required: true,
      description: 'The version to score (`name@version`, or `name` for its latest).',
    },
    id_column: {
      type: 'string',
      description:
        'An input column copied beside each prediction (default `id` when there is one, else the row number).',
    },
    output_dataset: {
      type: 'string',
      description:
        'The dataset the predictions become a new version of (default <dataset>-predictions).',
    },
    format: {
      type: 'string',
      default: 'parquet',
      oneOf: PREDICTION_FORMATS,
      description: 'The file format the predictions are written in and recorded as.',
    },
    chunk_rows: {
      type: 'integer',
      description: 'Rows scored at a time (default 65,536): memory stays at one chunk.',
    },
  },
  outputs: {
    dataset: { type: 'dataset', description: 'The predictions version, `name@version`.' },
    version: { type: 'integer' },
    rows: { type: 'metric' },
    model: { type: 'string', description: 'The model version that scored, e.g. housing/3.' },
  },
  async run(ctx, inputs) {
    const chunkRows = inputs.chunk_rows == null ? undefined : Number(inputs.chunk_rows);
    if (chunkRows !== undefined && !(Number.isInteger(chunkRows) && chunkRows > 0))
      throw new InvalidArgumentError(
        `chunk_rows: must be a positive whole number, got ${String(inputs.chunk_rows)}`,
        { field: 'chunk_rows' },
      );
    const result = await batchPredictToDataset(
      { loader: ctx.services.serving.loader, datasets: ctx.services.data.datasets },
      {
        model: String(inputs.model),
        dataset: String(inputs.dataset),
        ...(inputs.id_column != null ? { idColumn: String(inputs.id_column) } : {}),
        ...(inputs.output_dataset != null ? { outputDataset: String(inputs.output_dataset) } : {}),
        format: String(inputs.format ?? 'parquet') as (typeof PREDICTION_FORMATS)[number],
        ...(chunkRows !== undefined ? { chunkRows } : {}),
        createdBy: `pipeline:${ctx.runId}`,
        onProgress: (done, total) => ctx.log(`scored ${done} of ${total} rows`),
      },
    );
    const { version, input } = result;
    ctx.log(
      `${result.rows} predictions by ${result.model} on ${input.datasetName}@${input.version} → ` +
        `${version.datasetName}@${version.version}${result.created ? '' : ' (identical to an existing version)'}`,
    );
    return {
      dataset: datasetOutput(version),
      version: { type: 'integer', value: version.version },
      rows: metric(result.rows),
      model: { type: 'string', value: result.model },
    };
  },
};
