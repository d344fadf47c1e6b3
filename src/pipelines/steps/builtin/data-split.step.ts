import { SPLIT_METHODS } from '../../../data/index.js';
import type { BuiltinStep } from '../step-types.js';
import { datasetOutput } from './outputs.js';

/** Splits a version into train / validation / test versions, deterministically. */
export const dataSplitStep: BuiltinStep = {
  uses: 'data/split',
  description: 'Split a dataset version into train, validation and test versions.',
  inputs: {
    dataset: { type: 'dataset', required: true, description: 'The version to split.' },
    by: {
      type: 'string',
      default: 'random',
      oneOf: SPLIT_METHODS,
      description: 'random, hash (by a key column) or time.',
    },
    seed: { type: 'integer', default: 42, description: 'Seed of a random split.' },
    column: { type: 'string', description: 'The key column (hash) or time column (time).' },
    train: { type: 'number', default: 0.8, description: 'Fraction for training.' },
    validation: {
      type: 'number',
      default: 0.1,
      description: 'Fraction for validation (early stopping).',
    },
    test: { type: 'number', default: 0.1, description: 'Fraction for the final test.' },
    prefix: {
      type: 'string',
      description: 'Output datasets are <prefix>-train, -validation, -test.',
    },
  },
  outputs: {
    train: { type: 'dataset' },
    validation: { type: 'dataset' },
    test: { type: 'dataset' },
  },
  async run(ctx, inputs) {
    const parts = await ctx.services.data.transforms.split({
      source: String(inputs.dataset),
      by: inputs.by as (typeof SPLIT_METHODS)[number],
      seed: Number(inputs.seed),
      ...(inputs.column ? { column: String(inputs.column) } : {}),
      fractions: {
        train: Number(inputs.train),
        validation: Number(inputs.validation),
        test: Number(inputs.test),
      },
      ...(inputs.prefix ? { prefix: String(inputs.prefix) } : {}),
      createdBy: `pipeline:${ctx.runId}`,
    });
    for (const [part, r] of Object.entries(parts))
      ctx.log(
        `${part}: ${r.version.datasetName}@${r.version.version} (${r.version.rowCount} rows)`,
      );
    return {
      train: datasetOutput(parts.train.version),
      validation: datasetOutput(parts.validation.version),
      test: datasetOutput(parts.test.version),
    };
  },
};
