import type { BuiltinStep } from '../step-types.js';
import { datasetOutput } from './outputs.js';

/** A point-in-time correct training set from a feature service, as a dataset version. */
export const featuresTrainingSetStep: BuiltinStep = {
  uses: 'features/training-set',
  description:
    "Join entity rows (a dataset version) to a feature service's values as of each row's timestamp; register the result as a dataset version.",
  inputs: {
    entities: {
      type: 'dataset',
      required: true,
      description: 'Entity rows: join keys, a timestamp and labels.',
    },
    service: { type: 'string', required: true, description: 'The feature service.' },
    timestamp_column: {
      type: 'string',
      default: 'event_timestamp',
      description: "The entity rows' timestamp column.",
    },
    dataset: {
      type: 'string',
      description: 'The dataset the result becomes a version of (default <service>-training).',
    },
    drop_keys: {
      type: 'boolean',
      default: false,
      description: 'Leave the join keys and timestamp out (only labels and features).',
    },
  },
  outputs: { dataset: { type: 'dataset' }, rows: { type: 'metric' } },
  async run(ctx, inputs) {
    const result = await ctx.services.features.trainingSets.build({
      service: String(inputs.service),
      entities: { dataset: String(inputs.entities) },
      timestampColumn: String(inputs.timestamp_column),
      ...(inputs.dataset ? { dataset: String(inputs.dataset) } : {}),
      dropKeys: inputs.drop_keys === true,
      createdBy: `pipeline:${ctx.runId}`,
      onStage: (stage) => ctx.log(stage),
    });
    const v = result.version;
    ctx.log(`${v.datasetName}@${v.version}: ${result.rows} rows from ${result.sources.join(', ')}`);
    return { dataset: datasetOutput(v), rows: { type: 'metric', value: result.rows } };
  },
};
