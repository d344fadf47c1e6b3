import { stringify } from 'yaml';
import { parseSuite } from '../../../data/index.js';
import type { BuiltinStep } from '../step-types.js';
import { datasetOutput } from './outputs.js';

/** Ingests a file (path, s3:// or artifact URI) as a new version of a dataset. */
export const dataIngestStep: BuiltinStep = {
  uses: 'data/ingest',
  description: 'Ingest a file as a new dataset version (identical content reuses the version).',
  inputs: {
    source: {
      type: 'file',
      required: true,
      description: 'A local path, file://, s3:// or artifacts: URI.',
    },
    name: {
      type: 'string',
      required: true,
      description: 'The dataset the file becomes a version of.',
    },
    format: {
      type: 'string',
      oneOf: ['csv', 'tsv', 'parquet', 'json', 'ndjson'],
      description: 'Overrides the format the file name implies.',
    },
    suite: {
      type: 'json',
      description: 'A validation suite (YAML text or mapping) the file must pass first.',
    },
    tags: { type: 'json', description: 'Tags for the version (a string mapping).' },
  },
  outputs: { dataset: { type: 'dataset' }, rows: { type: 'metric' } },
  async run(ctx, inputs) {
    const suite =
      inputs.suite === undefined
        ? undefined
        : {
            suite: parseSuite(
              typeof inputs.suite === 'string' ? inputs.suite : stringify(inputs.suite),
              'with.suite',
            ),
          };
    const result = await ctx.services.data.datasets.ingest({
      source: String(inputs.source),
      name: String(inputs.name),
      ...(inputs.format ? { format: String(inputs.format) } : {}),
      ...(inputs.tags ? { tags: inputs.tags as Record<string, string> } : {}),
      createdBy: `pipeline:${ctx.runId}`,
      ...(suite ? { suite } : {}),
    });
    const v = result.version;
    ctx.log(
      `${result.created ? 'registered' : 'unchanged:'} ${v.datasetName}@${v.version} (${v.rowCount} rows)`,
    );
    return { dataset: datasetOutput(v), rows: { type: 'metric', value: v.rowCount } };
  },
};
