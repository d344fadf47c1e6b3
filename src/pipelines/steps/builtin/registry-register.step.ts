import { isGyreError } from '../../../core/index.js';
import type { BuiltinStep } from '../step-types.js';

/**
 * Registers a model version with aliases. Its source is the training run's model, so the
 * version's lineage holds that run's datasets and metrics; the pipeline run is a tag.
 */
export const registryRegisterStep: BuiltinStep = {
  uses: 'registry/register',
  description:
    'Register a model version (lineage to its training run, datasets and pipeline run), with aliases.',
  inputs: {
    model: {
      type: 'artifact',
      required: true,
      description: 'The model to register, e.g. ${{ steps.train.outputs.model }}.',
    },
    name: {
      type: 'string',
      required: true,
      description: 'The registered model (created when new).',
    },
    aliases: {
      type: 'json',
      default: [],
      description: 'Aliases to point at the new version, e.g. [champion].',
    },
    tags: { type: 'json', default: {}, description: 'Version tags.' },
    description: { type: 'string', description: 'Version description.' },
  },
  outputs: { model: { type: 'model' }, version: { type: 'integer' } },
  async run(ctx, inputs) {
    const { registry } = ctx.services;
    const name = String(inputs.name);
    const source = String(inputs.model);
    await registry.createModel({ name }).catch((error: unknown) => {
      if (!(isGyreError(error) && error.code === 'ALREADY_EXISTS')) throw error;
    });
    const trainingRun = /^runs:\/([^/]+)\//.exec(source)?.[1];
    const version = await registry.createVersion({
      name,
      source,
      ...(trainingRun ? { runId: trainingRun } : {}),
      ...(inputs.description ? { description: String(inputs.description) } : {}),
      tags: {
        ...(inputs.tags as Record<string, string>),
        'gyre.pipeline.run': ctx.runId,
        'gyre.pipeline.run.tracking': ctx.pipelineTrackingRunId,
      },
    });
    for (const alias of (inputs.aliases as unknown[]).map(String))
      await registry.setAlias(name, alias, version.version);
    const uri = `models:/${name}/${version.version}`;
    ctx.log(
      `registered ${uri}${(inputs.aliases as unknown[]).length ? ` (aliases: ${(inputs.aliases as unknown[]).join(', ')})` : ''}`,
    );
    return {
      model: { type: 'model', value: uri },
      version: { type: 'integer', value: version.version },
    };
  },
};
