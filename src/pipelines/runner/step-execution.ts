import { fileURLToPath } from 'node:url';
import { evaluate, truthy } from '../spec/expressions.js';
import { parseCondition, renderValue } from '../spec/templates.js';
import type { AttemptResult, StepTask } from '../executors/executor.js';
import { CANCEL_REASON, TIMEOUT_REASON } from '../executors/executor.js';
import type { StepPatch } from '../store/pipeline-store.js';
import type { StepRun, StepStatus } from '../types.js';
import { builtinCodeVersion } from '../steps/builtin-code-version.js';
import { StepLogSink } from './log-sink.js';
import { publishArtifact } from './publish-artifact.js';
import type { RunContext, RunnerDeps } from './run-context.js';
import { scopeLookup } from './run-scope.js';
import { cachedOutputsExist, stepCacheKey } from './step-cache.js';
import { createStepTrackingRun, endTrackingRun, logStepMetrics } from './tracking-runs.js';

/** Sleeps, waking early (false) when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `run` steps read files by path: local artifact URIs become paths. */
function localPaths(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('file://')) return fileURLToPath(value);
  if (Array.isArray(value)) return value.map(localPaths);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localPaths(v)]));
  return value;
}

/**
 * Runs one step of a run to a final state: its `if`, the cache, then attempts with backoff
 * and a timeout each, recording state, usage and outputs as it goes. Never throws for a
 * step's own failure; that is a `failed` state.
 */
export async function executeStep(
  deps: RunnerDeps,
  ctx: RunContext,
  name: string,
  prior: StepRun,
  lastLogSeq: number,
): Promise<StepStatus> {
  const { store, clock } = deps;
  const step = ctx.spec.steps[name];
  const runId = ctx.run.id;
  const sink = new StepLogSink(store, runId, name, lastLogSeq, clock, ctx.observer?.onLog);
  const set = async (patch: StepPatch) => {
    await store.updateStep(runId, name, patch);
    if (patch.status) ctx.observer?.onStep?.(name, patch.status);
  };
  const finish = async (status: StepStatus, patch: StepPatch = {}) => {
    await sink.flush();
    await set({ status, finishedAt: clock.now(), ...patch });
    return status;
  };
  const lookup = scopeLookup(ctx.scope);
  try {
    if (step.if !== undefined && !truthy(evaluate(parseCondition(step.if), lookup))) {
      sink.note(`skipped: if ${step.if} is false`);
      return await finish('skipped', { error: `if ${step.if} is false` });
    }
    const type = step.uses ? deps.catalog.get(step.uses) : undefined;
    const defaults = Object.fromEntries(
      Object.entries(type?.inputs ?? {})
        .filter(([, d]) => d.default !== undefined)
        .map(([k, d]) => [k, d.default]),
    );
    const inputs = { ...defaults, ...(renderValue(step.with, lookup) as Record<string, unknown>) };
    const useCache = step.cache && !ctx.run.noCache && type?.cacheable !== false;
    let cacheKey: string | undefined;
    if (useCache) {
      cacheKey = await stepCacheKey({
        stepName: name,
        step,
        scope: ctx.scope,
        catalog: deps.catalog,
        datasets: deps.data.datasets,
        codeVersion: step.uses ? await builtinCodeVersion(deps.gyreVersion) : ctx.codeVersion,
      });
      const hit = await store.getCached(cacheKey);
      if (
        hit &&
        (await cachedOutputsExist(hit.outputs, { ...deps, datasets: deps.data.datasets }))
      ) {
        const stepRunId = await createStepTrackingRun(deps.tracking, {
          experimentId: ctx.experimentId,
          parentRunId: ctx.trackingRunId,
          step: name,
          runId,
          cached: true,
        });
        await endTrackingRun(deps.tracking, stepRunId, 'cached', clock.now());
        sink.note(`cache hit: outputs of run ${hit.runId} reused`);
        ctx.scope.outputs.set(name, hit.outputs);
        return await finish('cached', {
          outputs: hit.outputs,
          cacheKey,
          trackingRunId: stepRunId,
          startedAt: clock.now(),
          error: undefined,
        });
      }
      if (hit) {
        sink.note('cached outputs no longer exist: running again');
        await store.deleteCached(cacheKey);
      }
    }

    const stepRunId = await createStepTrackingRun(deps.tracking, {
      experimentId: ctx.experimentId,
      parentRunId: ctx.trackingRunId,
      step: name,
      runId,
    });
    const api = step.run !== undefined ? await ctx.api() : undefined;
    const task: StepTask = {
      runId,
      pipeline: ctx.spec.name,
      step: name,
      attempt: 0,
      kind: step.run !== undefined ? 'run' : 'builtin',
      ...(step.run !== undefined ? { command: String(renderValue(step.run, lookup)) } : {}),
      ...(step.image ? { image: step.image } : {}),
      ...(step.uses ? { uses: step.uses } : {}),
      inputs: step.run !== undefined ? (localPaths(inputs) as Record<string, unknown>) : inputs,
      outputs: step.outputs,
      env: {
        ...step.env,
        GYRE_RUN_ID: stepRunId,
        MLFLOW_RUN_ID: stepRunId,
        MLFLOW_EXPERIMENT_ID: ctx.experimentId,
        ...(api ? { GYRE_URL: api.url, MLFLOW_TRACKING_URI: api.url } : {}),
        // With auth on, the run's own short-lived token (MLflow clients send it as Bearer).
        ...(api?.token ? { GYRE_TOKEN: api.token, MLFLOW_TRACKING_TOKEN: api.token } : {}),
      },
      ...(ctx.cwd ? { cwd: ctx.cwd } : {}),
      ...(step.resources ? { resources: step.resources } : {}),
      ...(step.secrets ? { secrets: step.secrets } : {}),
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      tracking: { experimentId: ctx.experimentId, pipelineRunId: ctx.trackingRunId, stepRunId },
    };

    for (let tries = 0; ; tries++) {
      const attempt = prior.attempt + tries + 1;
      await set({
        status: 'running',
        attempt,
        startedAt: clock.now(),
        trackingRunId: stepRunId,
        cacheKey,
        error: undefined,
        exitCode: undefined,
        process: undefined,
      });
      const result = await runAttempt(deps, ctx, { ...task, attempt }, sink, step.timeoutMs);
      const usage = {
        wallMs: result.usage.wallMs,
        cpuMs: result.usage.cpuMs,
        peakRssBytes: result.usage.peakRssBytes,
        exitCode: result.exitCode,
      };
      if (result.status === 'succeeded') {
        await logStepMetrics(
          deps.tracking,
          { stepRunId, pipelineRunId: ctx.trackingRunId, step: name },
          result.outputs,
          clock.now(),
        );
        if (cacheKey)
          await store.putCached(
            cacheKey,
            { pipelineName: ctx.spec.name, step: name, runId, outputs: result.outputs },
            clock.now(),
          );
        ctx.scope.outputs.set(name, result.outputs);
        await endTrackingRun(deps.tracking, stepRunId, 'succeeded', clock.now());
        return await finish('succeeded', { ...usage, outputs: result.outputs });
      }
      if (result.status === 'cancelled') {
        sink.note('cancelled');
        await endTrackingRun(deps.tracking, stepRunId, 'cancelled', clock.now());
        return await finish('cancelled', { ...usage, error: 'cancelled' });
      }
      const why =
        result.status === 'timed_out'
          ? `timed out after ${step.timeoutMs} ms`
          : (result.error ?? 'failed');
      sink.note(`attempt ${attempt} failed: ${why}`);
      if (tries < step.retries.count) {
        const delay = Math.min(step.retries.backoffMs * 2 ** tries, step.retries.maxDelayMs);
        sink.note(
          `retrying in ${delay} ms (${step.retries.count - tries} ${step.retries.count - tries === 1 ? 'retry' : 'retries'} left)`,
        );
        await set({ ...usage, error: why });
        if (await pause(delay, ctx.signal)) continue;
        await endTrackingRun(deps.tracking, stepRunId, 'cancelled', clock.now());
        return await finish('cancelled', { error: 'cancelled' });
      }
      await endTrackingRun(deps.tracking, stepRunId, 'failed', clock.now());
      return await finish('failed', { ...usage, error: why });
    }
  } catch (error) {
    sink.note(`error: ${(error as Error).message}`);
    return await finish('failed', { error: (error as Error).message });
  }
}

/** One attempt, with its own abort signal: the run's cancellation or the step's timeout. */
async function runAttempt(
  deps: RunnerDeps,
  ctx: RunContext,
  task: StepTask,
  sink: StepLogSink,
  timeoutMs?: number,
): Promise<AttemptResult> {
  const controller = new AbortController();
  const onCancel = () => controller.abort(CANCEL_REASON);
  if (ctx.signal.aborted) onCancel();
  ctx.signal.addEventListener('abort', onCancel, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(TIMEOUT_REASON), timeoutMs);
  try {
    return await deps.executor.execute(task, {
      signal: controller.signal,
      log: (text) => sink.write(text),
      onProcess: (process) => deps.store.updateStep(task.runId, task.step, { process }),
      publishArtifact: (name, path) => publishArtifact(deps, task.tracking.stepRunId, name, path),
    });
  } catch (error) {
    return { status: 'failed', error: (error as Error).message, outputs: {}, usage: { wallMs: 0 } };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onCancel);
  }
}
