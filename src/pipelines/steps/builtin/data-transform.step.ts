import type { BuiltinStep } from '../step-types.js';
import { datasetOutput } from './outputs.js';

/** A DuckDB SELECT over dataset versions, registered as a new version. */
export const dataTransformStep: BuiltinStep = {
  uses: 'data/transform',
  description: 'Run SQL over dataset versions (each visible as a table) into a new version.',
  inputs: {
    sql: { type: 'string', required: true, description: 'A DuckDB SELECT over the input aliases.' },
    inputs: {
      type: 'json',
      required: true,
      description: 'Alias → dataset version (`name@version`).',
    },
    name: {
      type: 'string',
      required: true,
      description: 'The dataset the result becomes a version of.',
    },
  },
  outputs: { dataset: { type: 'dataset' }, rows: { type: 'metric' } },
  async run(ctx, inputs) {
    const result = await ctx.services.data.transforms.runSql({
      name: String(inputs.name),
      sql: String(inputs.sql),
      inputs: inputs.inputs as Record<string, string>,
      createdBy: `pipeline:${ctx.runId}`,
    });
    const v = result.version;
    ctx.log(`${v.datasetName}@${v.version}: ${v.rowCount} rows`);
    return { dataset: datasetOutput(v), rows: { type: 'metric', value: v.rowCount } };
  },
};
