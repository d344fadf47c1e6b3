// Drives rollouts from the server: a deployment with a canary (or A/B candidate) and a rollout
// plan is walked step by step — set the candidate's weight, wait out the pause, run the canary
// analysis, then take the next step, promote, or roll back. Progress lives in the database, so
// a restarted server picks up where it stopped; each step's analysis is stored with its evidence
// and the decisive one is quoted in the revision's reason.
import {
  FailedPreconditionError,
  NotFoundError,
  newUuid,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '../../core/index.js';
import type { DeploymentService, RolloutPlan } from '../../serving/index.js';
import type {
  DrivenRollout,
  KyselyRolloutStore,
  RolloutAnalysisRecord,
} from '../store/rollout-store.js';
import type { CanaryVerdict } from './canary-analysis.js';

/** Analyses with too little traffic to judge before a step is rolled back anyway. */
const MAX_INCONCLUSIVE = 3;

export interface RolloutDriverDeps {
  store: KyselyRolloutStore;
  deployments: DeploymentService;
  analyze(deployment: string, since: number, until: number): Promise<CanaryVerdict>;
  clock?: Clock;
  logger?: Logger;
}

const ROLLOUT_AUTHOR = 'rollout';

export class RolloutDriver {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RolloutDriverDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
  }

  /** Starts walking the deployment's candidate through `plan` (default: the deployment's own). */
  async start(deployment: string, options: { plan?: RolloutPlan; createdBy?: string } = {}) {
    const current = (await this.deps.deployments.get(deployment)).current;
    const plan = options.plan ?? current.spec.rollout;
    if (!plan || plan.steps.length === 0)
      throw new FailedPreconditionError(
        `deployment ${deployment} has no rollout plan; deploy it with one or pass steps`,
        { deployment },
      );
    if (current.spec.mode !== 'canary' && current.spec.mode !== 'ab')
      throw new FailedPreconditionError(
        `deployment ${deployment} has no canary or A/B candidate to roll out`,
        { deployment },
      );
    const now = this.clock.now();
    await this.deps.store.put({
      deployment,
      state: 'running',
      plan,
      baseRevision: current.revision - 1,
      step: 0,
      createdBy: options.createdBy ?? 'api',
      createdAt: now,
      updatedAt: now,
    });
    return this.step(deployment, false);
  }

  async get(
    deployment: string,
  ): Promise<{ rollout: DrivenRollout; analyses: RolloutAnalysisRecord[] }> {
    const rollout = await this.deps.store.get(deployment);
    if (!rollout)
      throw new NotFoundError(`deployment ${deployment} has no rollout`, { deployment });
    return { rollout, analyses: await this.deps.store.analyses(deployment) };
  }

  /** Pauses a running rollout where it is; returns false when none was running. */
  async pause(deployment: string): Promise<boolean> {
    const r = await this.deps.store.get(deployment);
    if (!r || r.state !== 'running') return false;
    return this.deps.store.advance(deployment, r.updatedAt, {
      state: 'paused',
      updatedAt: this.later(r),
    });
  }

  async resume(deployment: string): Promise<DrivenRollout> {
    const { rollout } = await this.get(deployment);
    if (rollout.state !== 'paused')
      throw new FailedPreconditionError(
        `the rollout of ${deployment} is ${rollout.state}, not paused`,
        { deployment },
      );
    await this.deps.store.advance(deployment, rollout.updatedAt, {
      state: 'running',
      updatedAt: this.later(rollout),
    });
    return this.step(deployment, false);
  }

  /** Ends the current step's pause now: analyzes it and moves on (what tests and demos call). */
  async advance(deployment: string): Promise<DrivenRollout> {
    const { rollout } = await this.get(deployment);
    if (rollout.state !== 'running')
      throw new FailedPreconditionError(
        `the rollout of ${deployment} is ${rollout.state}; only a running rollout advances`,
        { deployment },
      );
    return this.step(deployment, true);
  }

  /** Takes every step that is due; also starts rollouts for deployments deployed with a plan. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(async () => {
      try {
        await this.startPlanned();
        for (const r of await this.deps.store.running()) await this.step(r.deployment, false);
      } catch (error) {
        this.logger.warn({ err: error }, 'rollout driver tick failed');
      }
    });
    return this.ticking;
  }

  startTimer(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** Deployments whose latest deploy carries a rollout plan nobody started yet. */
  private async startPlanned(): Promise<void> {
    for (const d of await this.deps.deployments.list()) {
      const c = d.current;
      if (
        c.action !== 'deploy' ||
        !c.spec.rollout ||
        (c.spec.mode !== 'canary' && c.spec.mode !== 'ab')
      )
        continue;
      const existing = await this.deps.store.get(d.name);
      if (existing && existing.baseRevision >= c.revision - 1) continue;
      await this.start(d.name, { createdBy: c.createdBy });
    }
  }

  /** Updated-at stamps must change on every write (the optimistic check relies on it). */
  private later(r: DrivenRollout): number {
    return Math.max(this.clock.now(), r.updatedAt + 1);
  }

  private async step(deployment: string, force: boolean): Promise<DrivenRollout> {
    for (;;) {
      const r = await this.deps.store.get(deployment);
      if (!r) throw new NotFoundError(`deployment ${deployment} has no rollout`, { deployment });
      if (r.state !== 'running') return r;
      const moved = await this.stepOnce(r, force);
      if (!moved) return (await this.deps.store.get(deployment))!;
      force = false;
    }
  }

  /** One move of a running rollout; returns whether it changed anything. */
  private async stepOnce(r: DrivenRollout, force: boolean): Promise<boolean> {
    const { deployments, store } = this.deps;
    const current = (await deployments.get(r.deployment)).current;
    const now = this.later(r);
    const author = { createdBy: ROLLOUT_AUTHOR };
    const { weight, pauseMs } = r.plan.steps[r.step];
    if (r.stepRevision === undefined) {
      if (current.spec.mode !== 'canary' && current.spec.mode !== 'ab') {
        return store.advance(r.deployment, r.updatedAt, {
          state: 'superseded',
          outcome: `revision ${current.revision} has no candidate`,
          updatedAt: now,
        });
      }
      const revised = await deployments.setCandidateWeight(r.deployment, weight, {
        ...author,
        reason: `rollout step ${r.step + 1}: candidate at ${weight}%`,
      });
      await store.advance(r.deployment, r.updatedAt, {
        stepRevision: revised.current.revision,
        stepDueAt: now + pauseMs,
        updatedAt: now,
      });
      return false;
    }
    if (current.revision !== r.stepRevision)
      return store.advance(r.deployment, r.updatedAt, {
        state: 'superseded',
        outcome: `revision ${current.revision} replaced the rollout's revision ${r.stepRevision}`,
        updatedAt: now,
      });
    if (!force && now < (r.stepDueAt ?? 0)) return false;
    const since = (r.stepDueAt ?? now) - pauseMs;
    const verdict = await this.deps.analyze(r.deployment, since, this.clock.now());
    await store.addAnalysis({
      id: newUuid(),
      deployment: r.deployment,
      revision: r.stepRevision,
      step: r.step,
      decision: verdict.inconclusive ? 'inconclusive' : verdict.decision,
      evidence: verdict.evidence as unknown as Record<string, unknown>,
      createdAt: now,
    });
    if (verdict.inconclusive) {
      const tries = (await store.analyses(r.deployment)).filter(
        (a) => a.revision === r.stepRevision && a.decision === 'inconclusive',
      ).length;
      if (tries < MAX_INCONCLUSIVE)
        return store
          .advance(r.deployment, r.updatedAt, { stepDueAt: now + pauseMs, updatedAt: now })
          .then(() => false);
      verdict.decision = 'rollback';
      verdict.evidence.failures.push(
        `inconclusive ${tries} times: ${verdict.evidence.inconclusive}`,
      );
    }
    if (verdict.decision === 'rollback') {
      const back = await deployments.rollback(r.deployment, {
        ...author,
        toRevision: r.baseRevision,
        reason: `canary analysis at rollout step ${r.step + 1} failed: ${verdict.evidence.failures.join('; ')}`,
      });
      await store.advance(r.deployment, r.updatedAt, {
        state: 'rolled-back',
        outcome: `rolled back to revision ${r.baseRevision} as revision ${back.current.revision}`,
        updatedAt: now,
      });
      this.logger.info(
        { deployment: r.deployment, failures: verdict.evidence.failures },
        'canary rolled back',
      );
      return false;
    }
    if (verdict.decision === 'promote' || r.step + 1 >= r.plan.steps.length) {
      const promoted = await deployments.promote(r.deployment, {
        ...author,
        reason: `canary analysis passed ${r.step + 1} rollout step(s)`,
      });
      await store.advance(r.deployment, r.updatedAt, {
        state: 'promoted',
        outcome: `promoted as revision ${promoted.current.revision}`,
        updatedAt: now,
      });
      return false;
    }
    return store.advance(r.deployment, r.updatedAt, {
      step: r.step + 1,
      stepRevision: undefined,
      stepDueAt: undefined,
      updatedAt: now,
    });
  }
}
