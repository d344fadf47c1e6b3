import { InvalidArgumentError, isGyreError } from '../../../core/index.js';
import {
  UNKNOWN_CATEGORY_POLICIES,
  type RolloutPlan,
  type UnknownCategoryPolicy,
} from '../../../serving/index.js';
import type { BuiltinStep } from '../step-types.js';

/**
 * Creates or changes a deployment through serving's DeploymentService, so a pipeline ends
 * with its model answering requests. With `canary`, the model joins the current primary as a
 * candidate taking that share of requests (and walks `rollout`'s steps when a rollout driver
 * runs); a deployment that does not exist yet has nothing to compare with, so its first model
 * is deployed alone. Servers follow the new revision and swap without dropping a request.
 */
export const servingDeployStep: BuiltinStep = {
  uses: 'serving/deploy',
  description:
    'Deploy a model version or alias: alone, or as a canary beside the current model with an optional rollout plan.',
  // Deploying changes the world: a cache hit would report a deployment that never happened
  // (the deployment may have been rolled back or changed since the cached run).
  cacheable: false,
  inputs: {
    deployment: {
      type: 'string',
      required: true,
      description: 'The deployment to create or change.',
    },
    model: {
      type: 'model',
      required: true,
      description:
        'The model that answers: ${{ steps.register.outputs.model }}, models:/fraud@champion, fraud/3.',
    },
    canary: {
      type: 'number',
      description:
        'Percent of requests the model takes beside the current primary (0-100); omitted: the model replaces the current one.',
    },
    rollout: {
      type: 'json',
      description:
        'A canary rollout plan: {steps: [{weight: 25, pauseMs: 60000}, {weight: 50, pauseMs: 60000}]}.',
    },
    unknown_category: {
      type: 'string',
      oneOf: UNKNOWN_CATEGORY_POLICIES,
      description: 'A category the model never saw: ignore (treat as missing) or error (400).',
    },
    reason: { type: 'string', description: 'Why, kept with the revision.' },
  },
  outputs: {
    deployment: { type: 'string' },
    revision: { type: 'integer' },
    mode: { type: 'string' },
  },
  async run(ctx, inputs) {
    const { deployments } = ctx.services.serving;
    const name = String(inputs.deployment);
    const model = String(inputs.model);
    const canary = inputs.canary == null ? undefined : Number(inputs.canary);
    if (canary !== undefined && !(canary >= 0 && canary <= 100))
      throw new InvalidArgumentError(
        `canary: must be a percentage from 0 to 100, got ${String(inputs.canary)}`,
        {
          field: 'canary',
        },
      );
    const rollout = inputs.rollout == null ? undefined : rolloutPlan(inputs.rollout);
    if (rollout && canary === undefined)
      throw new InvalidArgumentError('rollout: a rollout plan steps a canary; set canary too', {
        field: 'rollout',
      });
    const exists = await deployments.get(name).then(
      () => true,
      (error: unknown) => {
        if (isGyreError(error) && error.code === 'NOT_FOUND') return false;
        throw error;
      },
    );
    const asCanary = canary !== undefined && exists;
    if (canary !== undefined && !exists)
      ctx.log(
        `deployment ${name} does not exist yet: deploying ${model} alone (nothing to canary against)`,
      );
    const deployed = await deployments.deploy({
      name,
      model,
      ...(asCanary ? { canary, ...(rollout ? { rollout } : {}) } : {}),
      ...(inputs.unknown_category !== undefined
        ? { unknownCategory: String(inputs.unknown_category) as UnknownCategoryPolicy }
        : {}),
      createdBy: `pipeline:${ctx.runId}`,
      reason: inputs.reason !== undefined ? String(inputs.reason) : `pipeline run ${ctx.runId}`,
    });
    const { current } = deployed;
    const routes = current.routes.map((r) => `${r.key} ${r.role} ${r.weight}%`).join(', ');
    ctx.log(`deployment ${name} revision ${current.revision} (${current.spec.mode}): ${routes}`);
    return {
      deployment: { type: 'string', value: name },
      revision: { type: 'integer', value: current.revision },
      mode: { type: 'string', value: current.spec.mode },
    };
  },
};

/** `{steps: [{weight, pauseMs}]}` (or the bare list), checked field by field. */
function rolloutPlan(value: unknown): RolloutPlan {
  const steps = Array.isArray(value) ? value : (value as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps) || steps.length === 0)
    throw new InvalidArgumentError(
      'rollout: must be {steps: [{weight, pauseMs}, …]} with at least one step',
      {
        field: 'rollout',
      },
    );
  return {
    steps: steps.map((step: unknown, i) => {
      const { weight, pauseMs } = (step ?? {}) as { weight?: unknown; pauseMs?: unknown };
      if (typeof weight !== 'number' || !(weight >= 0 && weight <= 100))
        throw new InvalidArgumentError(
          `rollout.steps[${i}].weight: must be a percentage from 0 to 100`,
          {
            field: `rollout.steps[${i}].weight`,
          },
        );
      if (typeof pauseMs !== 'number' || !Number.isInteger(pauseMs) || pauseMs < 0)
        throw new InvalidArgumentError(
          `rollout.steps[${i}].pauseMs: must be a whole number of milliseconds`,
          {
            field: `rollout.steps[${i}].pauseMs`,
          },
        );
      return { weight, pauseMs };
    }),
  };
}
