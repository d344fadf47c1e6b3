import { isGyreError } from '../../../core/index.js';
import type { BuiltinStep, StepContext } from '../step-types.js';
import { HIGHER_IS_BETTER } from '../training/evaluate-model.js';
import { scoreModel } from '../training/score-model.js';
import { metric } from './outputs.js';

type Bounds = Record<string, { min?: number; max?: number }>;

/** Problems with the candidate's metrics against `thresholds`, one line each. */
function thresholdFailures(metrics: Record<string, number>, thresholds: Bounds): string[] {
  const failures: string[] = [];
  for (const [name, bound] of Object.entries(thresholds)) {
    const value = metrics[name];
    if (value === undefined)
      failures.push(
        `${name}: the evaluation has no such metric (has ${Object.keys(metrics).join(', ')})`,
      );
    else if (bound.min !== undefined && value < bound.min)
      failures.push(`${name} ${value} is below the minimum ${bound.min}`);
    else if (bound.max !== undefined && value > bound.max)
      failures.push(`${name} ${value} is above the maximum ${bound.max}`);
  }
  return failures;
}

/** The failed checks of a model validation report given to the gate, one line each. */
function validationFailures(report: unknown): string[] {
  if (report === undefined || report === null) return [];
  const r = report as { passed?: unknown; failures?: unknown };
  if (typeof r.passed !== 'boolean')
    return ['validation: expected an ml/validate-model report (its report_json output)'];
  if (r.passed) return [];
  const lines = Array.isArray(r.failures) ? r.failures.map(String) : [];
  return [`model validation failed: ${lines.join('; ') || 'see the report'}`];
}

/** The champion's score on the same rows, or undefined when the model has no champion yet. */
async function championScore(
  ctx: StepContext,
  name: string,
  alias: string,
  dataset: string,
  target: string,
  metricName: string,
) {
  const champion = await ctx.services.registry
    .getVersionByAlias(name, alias)
    .catch((error: unknown) => {
      if (isGyreError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    });
  if (!champion) return undefined;
  const evaluation = await scoreModel(
    ctx.services,
    `models:/${name}/${champion.version}`,
    dataset,
    target,
    ctx.workDir,
  );
  return { version: champion.version, score: evaluation.metrics[metricName] };
}

/**
 * Lets a candidate through only when its metrics meet the thresholds and it beats the current
 * champion (scored here on the same evaluation set) by `tolerance`; optionally then waits for
 * a person (`gyre approve <run>`). A refused candidate fails the step, so nothing downstream
 * (registration, deployment) runs.
 */
export const registryGateStep: BuiltinStep = {
  uses: 'registry/gate',
  description:
    'Check a candidate against thresholds and the champion on the same data; optional manual approval.',
  inputs: {
    model: { type: 'artifact', required: true, description: 'The candidate model URI.' },
    dataset: {
      type: 'dataset',
      required: true,
      description: 'The evaluation set both models are scored on.',
    },
    target: { type: 'string', required: true, description: 'The column holding the truth.' },
    thresholds: {
      type: 'json',
      default: {},
      description: 'Metric → {min, max}, e.g. {rmse: {max: 60000}}.',
    },
    registered_model: {
      type: 'string',
      description: 'Registered model whose champion the candidate must beat.',
    },
    champion_alias: {
      type: 'string',
      default: 'champion',
      description: 'The alias naming the champion.',
    },
    metric: {
      type: 'string',
      description: 'Metric compared with the champion (default: the primary one).',
    },
    tolerance: {
      type: 'number',
      default: 0,
      description: 'Relative margin the candidate must win by (negative: may lose by).',
    },
    validation: {
      type: 'json',
      description:
        'An ml/validate-model report (its report_json output): a failed check refuses the candidate.',
    },
    approval: {
      type: 'boolean',
      default: false,
      description: 'Wait for `gyre approve <run>` once the checks pass.',
    },
  },
  outputs: {
    passed: { type: 'boolean' },
    candidate_score: { type: 'metric' },
    champion_score: { type: 'metric' },
    champion_version: { type: 'string' },
  },
  async run(ctx, inputs) {
    const [dataset, target] = [String(inputs.dataset), String(inputs.target)];
    const candidate = await scoreModel(
      ctx.services,
      String(inputs.model),
      dataset,
      target,
      ctx.workDir,
    );
    const metricName = inputs.metric ? String(inputs.metric) : candidate.primary.name;
    const score = candidate.metrics[metricName];
    const failures = thresholdFailures(candidate.metrics, inputs.thresholds as Bounds);
    failures.push(...validationFailures(inputs.validation));
    if (score === undefined) failures.push(`${metricName}: the evaluation has no such metric`);
    ctx.log(`candidate ${metricName} on ${candidate.dataset}: ${score}`);
    const outputs = {
      passed: { type: 'boolean' as const, value: true },
      candidate_score: metric(score ?? NaN),
    };
    let champion: Awaited<ReturnType<typeof championScore>>;
    if (inputs.registered_model && score !== undefined) {
      champion = await championScore(
        ctx,
        String(inputs.registered_model),
        String(inputs.champion_alias),
        dataset,
        target,
        metricName,
      );
      if (!champion)
        ctx.log(`no ${inputs.champion_alias} for ${inputs.registered_model} yet: nothing to beat`);
      else {
        const higher = HIGHER_IS_BETTER.has(metricName);
        const margin = Number(inputs.tolerance) * Math.abs(champion.score);
        const beats = higher ? score >= champion.score + margin : score <= champion.score - margin;
        ctx.log(
          `champion v${champion.version} ${metricName}: ${champion.score} → candidate ${beats ? 'beats' : 'does not beat'} it (tolerance ${inputs.tolerance})`,
        );
        if (!beats)
          failures.push(
            `${metricName} ${score} does not beat the champion (version ${champion.version}) at ${champion.score} by ${inputs.tolerance}`,
          );
      }
    }
    if (failures.length > 0) throw new Error(`gate refused the candidate: ${failures.join('; ')}`);
    if (inputs.approval === true) {
      ctx.log(`checks passed; waiting for approval: gyre approve ${ctx.runId}`);
      const by = await ctx.services.waitForApproval(ctx.runId, ctx.step, ctx.signal);
      ctx.log(`approved by ${by}`);
    }
    return {
      ...outputs,
      ...(champion
        ? {
            champion_score: metric(champion.score),
            champion_version: { type: 'string' as const, value: String(champion.version) },
          }
        : {}),
    };
  },
};
