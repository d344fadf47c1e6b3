import { existsSync } from 'node:fs';
import { sha256OfFile } from '../../artifacts/index.js';
import { NotFoundError } from '../../core/index.js';
import type { ParamSpec } from '../spec/pipeline-spec.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import {
  DONE_STEP,
  type PipelineRun,
  type RunStatus,
  type StepRun,
  type StepStatus,
} from '../types.js';
import { codeVersionOf } from './code-version.js';
import type { RunContext, RunnerDeps, RunObserver } from './run-context.js';
import { executeStep } from './step-execution.js';
import { createPipelineTrackingRun, endTrackingRun, pipelineExperiment } from './tracking-runs.js';
import type { ApiAccess } from './api-endpoint.js';

export interface ExecuteOptions {
  /** Who runs it (pipeline_owners id), for crash recovery. */
  ownerId: string;
  /** Aborted to cancel the run. */
  signal: AbortSignal;
  /** At most this many steps at once. */
  concurrency: number;
  /** Where the API answers (and the token to send), for `run` steps; acquired on the first one. */
  api(): Promise<ApiAccess | undefined>;
  observer?: RunObserver;
}

/** Steps whose outputs stay valid when a run continues: they never run again. */
const keeps = (s: StepRun) => DONE_STEP.includes(s.status);

async function lastLogSeq(store: PipelineStore, runId: string, step: string): Promise<number> {
  let seq = 0;
  for (;;) {
    const chunks = await store.readLog(runId, step, seq, 1000);
    if (chunks.length === 0) return seq;
    seq = chunks[chunks.length - 1].seq;
  }
}

/** Content digests of `file` params: the step cache keys on content, not on paths. */
async function fileParamDigests(
  specs: Record<string, ParamSpec>,
  params: Record<string, unknown>,
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const [name, p] of Object.entries(specs)) {
    const path = params[name];
    if (p.type === 'file' && typeof path === 'string' && existsSync(path))
      digests.set(name, await sha256OfFile(path));
  }
  return digests;
}

/**
 * Runs a pipeline run's DAG: every step whose needs are done starts, up to the concurrency
 * limit; a step whose need failed or was skipped is skipped. Steps already finished (a
 * resumed run) keep their state and outputs. Resolves with the run's final state.
 */
export class PipelineRunner {
  constructor(private readonly deps: RunnerDeps) {}

  async execute(runId: string, options: ExecuteOptions): Promise<PipelineRun> {
    const { store, clock, tracking } = this.deps;
    const run = await store.getRun(runId);
    if (!run) throw new NotFoundError(`pipeline run ${runId} does not exist`, { runId });
    const version = await store.getVersion(run.pipelineName, run.pipelineVersion);
    if (!version)
      throw new NotFoundError(
        `pipeline ${run.pipelineName} version ${run.pipelineVersion} does not exist`,
      );
    const spec = version.spec;
    await store.updateRun(runId, {
      status: 'running',
      ownerId: options.ownerId,
      startedAt: run.startedAt ?? clock.now(),
      finishedAt: undefined,
      error: undefined,
    });

    const experimentId = await pipelineExperiment(tracking, spec.name);
    const trackingRunId =
      run.trackingRunId ??
      (await createPipelineTrackingRun(tracking, {
        experimentId,
        pipeline: spec.name,
        version: version.version,
        runId,
        params: run.params,
        trigger: run.trigger.kind,
      }));
    if (!run.trackingRunId) {
      await store.updateRun(runId, { trackingRunId });
      // The definition as run, next to its params and metrics in any MLflow UI.
      const root = await tracking.runs.artifactRoot(trackingRunId);
      if (root.storePath !== undefined)
        await this.deps.artifacts.put(
          `${root.storePath}/pipeline.json`,
          JSON.stringify(spec, null, 2),
        );
    } else await tracking.runs.update(trackingRunId, { status: 'RUNNING' }).catch(() => {});

    const steps = new Map((await store.listSteps(runId)).map((s) => [s.step, s]));
    const ctx: RunContext = {
      run: { ...run, trackingRunId },
      spec,
      scope: {
        params: run.params,
        trigger: run.trigger.values ?? {},
        pipeline: { name: spec.name, run_id: runId },
        outputs: new Map(
          [...steps.values()].filter((s) => keeps(s) && s.outputs).map((s) => [s.step, s.outputs!]),
        ),
        fileDigests: await fileParamDigests(spec.params, run.params),
      },
      experimentId,
      trackingRunId,
      codeVersion: version.sourceDir ? await codeVersionOf(version.sourceDir) : undefined,
      cwd: version.sourceDir,
      signal: options.signal,
      api: options.api,
      observer: options.observer,
    };

    const status = new Map<string, StepStatus>();
    for (const name of Object.keys(spec.steps)) {
      const prior = steps.get(name);
      if (prior && keeps(prior)) {
        status.set(name, prior.status);
      } else {
        status.set(name, 'pending');
        if (prior && prior.status !== 'pending')
          await store.updateStep(runId, name, { status: 'pending' });
      }
      options.observer?.onStep?.(name, status.get(name)!);
    }

    const running = new Map<string, Promise<void>>();
    const launch = (name: string) => {
      status.set(name, 'running');
      const prior = steps.get(name) ?? { runId, step: name, status: 'pending', attempt: 0 };
      const work = lastLogSeq(store, runId, name)
        .then((seq) => executeStep(this.deps, ctx, name, prior, seq))
        .then((final) => void status.set(name, final))
        .finally(() => running.delete(name));
      running.set(name, work);
    };
    for (;;) {
      for (const [name, s] of status) {
        if (s !== 'pending') continue;
        const needs = spec.steps[name].needs.map((n) => status.get(n)!);
        if (options.signal.aborted) {
          status.set(name, 'cancelled');
          await store.updateStep(runId, name, { status: 'cancelled', finishedAt: clock.now() });
          options.observer?.onStep?.(name, 'cancelled');
        } else if (needs.some((n) => n === 'failed' || n === 'skipped' || n === 'cancelled')) {
          status.set(name, 'skipped');
          const failed = spec.steps[name].needs.filter(
            (n) => status.get(n) !== 'succeeded' && status.get(n) !== 'cached',
          );
          await store.updateStep(runId, name, {
            status: 'skipped',
            finishedAt: clock.now(),
            error: `needs ${failed.join(', ')}, which did not succeed`,
          });
          options.observer?.onStep?.(name, 'skipped');
        } else if (
          needs.every((n) => n === 'succeeded' || n === 'cached') &&
          running.size < options.concurrency
        ) {
          launch(name);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }

    const finals = [...status.values()];
    const final: RunStatus = options.signal.aborted
      ? 'cancelled'
      : finals.some((s) => s === 'failed' || s === 'cancelled')
        ? 'failed'
        : 'succeeded';
    const failedSteps = [...status]
      .filter(([, s]) => s === 'failed' || s === 'cancelled')
      .map(([n]) => n);
    await store.updateRun(runId, {
      status: final,
      finishedAt: clock.now(),
      error:
        final === 'failed'
          ? `step${failedSteps.length > 1 ? 's' : ''} ${failedSteps.join(', ')} did not succeed`
          : undefined,
      cancelRequested: false,
    });
    await endTrackingRun(tracking, trackingRunId, final, clock.now());
    return (await store.getRun(runId))!;
  }
}
