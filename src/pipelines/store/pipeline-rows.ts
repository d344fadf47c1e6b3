import type { Selectable } from 'kysely';
import type { PipelineSpec } from '../spec/pipeline-spec.js';
import type { StepOutputs } from '../steps/step-types.js';
import type { PipelineRun, PipelineVersion, RunStatus, StepRun, StepStatus } from '../types.js';
import type { StepPatch } from './pipeline-store.js';
import type { PipelineTables } from './tables.js';

const num = (v: number | string | null): number | undefined => (v === null ? undefined : Number(v));

export function toVersion(row: Selectable<PipelineTables['pipeline_versions']>): PipelineVersion {
  return {
    id: row.id,
    name: row.pipeline_name,
    version: Number(row.version),
    digest: row.digest,
    spec: JSON.parse(row.spec_json) as PipelineSpec,
    ...(row.source_dir ? { sourceDir: row.source_dir } : {}),
    createdAt: Number(row.created_at),
  };
}

export function toRun(row: Selectable<PipelineTables['pipeline_runs']>): PipelineRun {
  const run: PipelineRun = {
    id: row.id,
    pipelineName: row.pipeline_name,
    pipelineVersion: Number(row.pipeline_version),
    status: row.status as RunStatus,
    params: JSON.parse(row.params_json) as Record<string, unknown>,
    trigger: JSON.parse(row.trigger_json) as PipelineRun['trigger'],
    noCache: Number(row.no_cache) === 1,
    cancelRequested: Number(row.cancel_requested) === 1,
    createdAt: Number(row.created_at),
  };
  if (row.tracking_run_id) run.trackingRunId = row.tracking_run_id;
  if (row.owner_id) run.ownerId = row.owner_id;
  if (row.error) run.error = row.error;
  if (row.started_at !== null) run.startedAt = Number(row.started_at);
  if (row.finished_at !== null) run.finishedAt = Number(row.finished_at);
  return run;
}

export function toStep(row: Selectable<PipelineTables['pipeline_steps']>): StepRun {
  const step: StepRun = {
    runId: row.run_id,
    step: row.step,
    status: row.status as StepStatus,
    attempt: Number(row.attempt),
  };
  const optional: Partial<StepRun> = {
    exitCode: num(row.exit_code),
    outputs: row.outputs_json ? (JSON.parse(row.outputs_json) as StepOutputs) : undefined,
    cacheKey: row.cache_key ?? undefined,
    trackingRunId: row.tracking_run_id ?? undefined,
    error: row.error ?? undefined,
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
    wallMs: num(row.wall_ms),
    cpuMs: num(row.cpu_ms),
    peakRssBytes: num(row.peak_rss_bytes),
    approvedBy: row.approved_by ?? undefined,
    approvedAt: num(row.approved_at),
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) (step as unknown as Record<string, unknown>)[k] = v;
  }
  if (row.pid !== null && row.host) {
    step.process = {
      host: row.host,
      pid: Number(row.pid),
      pgid: Number(row.pgid ?? row.pid),
      ...(row.proc_start ? { procStart: row.proc_start } : {}),
    };
  }
  return step;
}

/** A step patch as column values; `null` clears a column, absent keys stay as they are. */
export function stepColumns(patch: StepPatch): Partial<PipelineTables['pipeline_steps']> {
  const cols: Partial<PipelineTables['pipeline_steps']> = {};
  const set = <K extends keyof PipelineTables['pipeline_steps']>(
    key: K,
    value: PipelineTables['pipeline_steps'][K] | undefined,
  ) => {
    if (value !== undefined) cols[key] = value;
  };
  const has = (k: keyof StepPatch) => k in patch;
  set('status', patch.status);
  set('attempt', patch.attempt);
  if (has('exitCode')) cols.exit_code = patch.exitCode ?? null;
  if (has('outputs')) cols.outputs_json = patch.outputs ? JSON.stringify(patch.outputs) : null;
  if (has('cacheKey')) cols.cache_key = patch.cacheKey ?? null;
  if (has('trackingRunId')) cols.tracking_run_id = patch.trackingRunId ?? null;
  if (has('error')) cols.error = patch.error ?? null;
  if (has('startedAt')) cols.started_at = patch.startedAt ?? null;
  if (has('finishedAt')) cols.finished_at = patch.finishedAt ?? null;
  if (has('wallMs')) cols.wall_ms = patch.wallMs ?? null;
  if (has('cpuMs')) cols.cpu_ms = patch.cpuMs ?? null;
  if (has('peakRssBytes')) cols.peak_rss_bytes = patch.peakRssBytes ?? null;
  if (has('process')) {
    cols.host = patch.process?.host ?? null;
    cols.pid = patch.process?.pid ?? null;
    cols.pgid = patch.process?.pgid ?? null;
    cols.proc_start = patch.process?.procStart ?? null;
  }
  return cols;
}
