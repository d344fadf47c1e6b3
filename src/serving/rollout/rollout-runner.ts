import { setTimeout as sleep } from 'node:timers/promises';
import { FailedPreconditionError } from '../../core/index.js';
import type { DeploymentService } from '../deployments/deployment-service.js';
import type { ChangeAuthor, RolloutPlan } from '../deployments/deployment-types.js';

/** What the analysis says after a step: keep going, finish early, or back out. */
export type RolloutDecision = 'continue' | 'promote' | 'rollback';

export interface RolloutStepContext {
  deployment: string;
  /** 0-based step index. */
  step: number;
  /** The candidate's weight during the step that just paused. */
  weight: number;
  /** The revision that step created. */
  revision: number;
}

/**
 * Judges a rollout step (error rates, latency, drift, quality). The hook monitoring fills in;
 * without one every step continues.
 */
export type RolloutAnalysis = (context: RolloutStepContext) => Promise<RolloutDecision>;

export interface RolloutOptions extends ChangeAuthor {
  analysis?: RolloutAnalysis;
  /** How a pause is waited out (tests pass their own). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export interface RolloutOutcome {
  outcome: 'promoted' | 'rolled-back' | 'superseded';
  revision: number;
}

/**
 * Walks a canary or A/B candidate through a plan's weight steps: each step is a revision
 * (servers swap without dropping requests), then a pause, then the analysis decides. At the
 * end the candidate is promoted; a `rollback` decision returns to the revision before the
 * candidate was added. Someone else changing the deployment meanwhile ends the rollout
 * (`superseded`) rather than fighting them.
 */
export async function runRollout(
  deployments: DeploymentService,
  name: string,
  plan?: RolloutPlan,
  options: RolloutOptions = {},
): Promise<RolloutOutcome> {
  const start = await deployments.get(name);
  const steps = (plan ?? start.current.spec.rollout)?.steps;
  if (!steps || steps.length === 0)
    throw new FailedPreconditionError(`deployment ${name} has no rollout plan`, {
      deployment: name,
    });
  if (start.current.spec.mode !== 'canary' && start.current.spec.mode !== 'ab')
    throw new FailedPreconditionError(
      `deployment ${name} has no canary or A/B candidate to roll out`,
      {
        deployment: name,
      },
    );
  const before = start.current.revision - 1;
  const wait = options.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }));
  const author = { createdBy: options.createdBy ?? 'rollout', reason: options.reason };
  let revision = start.current.revision;
  const superseded = async () => (await deployments.get(name)).current.revision !== revision;
  for (const [step, { weight, pauseMs }] of steps.entries()) {
    if (await superseded()) return { outcome: 'superseded', revision };
    revision = (
      await deployments.setCandidateWeight(name, weight, {
        ...author,
        reason: `rollout step ${step + 1}: candidate at ${weight}%`,
      })
    ).current.revision;
    await wait(pauseMs, options.signal);
    if (await superseded()) return { outcome: 'superseded', revision };
    const decision = options.analysis
      ? await options.analysis({ deployment: name, step, weight, revision })
      : 'continue';
    if (decision === 'rollback') {
      const back = await deployments.rollback(name, {
        ...author,
        toRevision: before,
        reason: `rollout step ${step + 1} failed its analysis`,
      });
      return { outcome: 'rolled-back', revision: back.current.revision };
    }
    if (decision === 'promote') break;
  }
  const promoted = await deployments.promote(name, {
    ...author,
    reason: author.reason ?? 'rollout complete',
  });
  return { outcome: 'promoted', revision: promoted.current.revision };
}
