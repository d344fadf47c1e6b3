import type { Kysely } from 'kysely';
import type { FoundationTables } from '../db/index.js';
import type { TrackingTables } from './tables.js';
import type {
  DatasetInput,
  KeyValue,
  LifecycleStage,
  Metric,
  Run,
  RunInfo,
  RunOutput,
  RunStatus,
} from './types.js';

export type Db = Kysely<FoundationTables & TrackingTables>;
type RunRow = TrackingTables['runs'];

export function toRunInfo(row: RunRow): RunInfo {
  return {
    runId: row.run_uuid,
    runName: row.name,
    experimentId: String(row.experiment_id),
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: row.start_time,
    ...(row.end_time === null ? {} : { endTime: row.end_time }),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
  };
}

export function metricOf(row: {
  key: string;
  value: number;
  is_nan: number;
  timestamp: number;
  step: number;
}): Metric {
  return {
    key: row.key,
    value: row.is_nan ? NaN : row.value,
    timestamp: row.timestamp,
    step: row.step,
  };
}

function group<T extends { run_uuid: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.run_uuid);
    if (list) list.push(row);
    else map.set(row.run_uuid, [row]);
  }
  return map;
}

function parseTags(text: string): KeyValue[] {
  try {
    return JSON.parse(text) as KeyValue[];
  } catch {
    return [];
  }
}

/** Loads the data of many runs with one query per table, not one per run. */
export async function hydrateRuns(db: Db, rows: RunRow[]): Promise<Run[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.run_uuid);
  const [metrics, params, tags, inputs, outputs] = await Promise.all([
    db
      .selectFrom('run_latest_metrics')
      .selectAll()
      .where('run_uuid', 'in', ids)
      .orderBy('key')
      .execute(),
    db.selectFrom('run_params').selectAll().where('run_uuid', 'in', ids).orderBy('key').execute(),
    db.selectFrom('run_tags').selectAll().where('run_uuid', 'in', ids).orderBy('key').execute(),
    db
      .selectFrom('run_inputs')
      .selectAll()
      .where('run_uuid', 'in', ids)
      .orderBy('name')
      .orderBy('digest')
      .execute(),
    db
      .selectFrom('run_outputs')
      .selectAll()
      .where('run_uuid', 'in', ids)
      .orderBy('name')
      .orderBy('version')
      .execute(),
  ]);
  const byRun = {
    metrics: group(metrics),
    params: group(params),
    tags: group(tags),
    inputs: group(inputs),
    outputs: group(outputs),
  };
  return rows.map((row) => ({
    info: toRunInfo(row),
    metrics: (byRun.metrics.get(row.run_uuid) ?? []).map(metricOf),
    params: (byRun.params.get(row.run_uuid) ?? []).map((p) => ({ key: p.key, value: p.value })),
    tags: (byRun.tags.get(row.run_uuid) ?? []).map((t) => ({ key: t.key, value: t.value })),
    inputs: (byRun.inputs.get(row.run_uuid) ?? []).map((i): DatasetInput => ({
      name: i.name,
      digest: i.digest,
      sourceType: i.source_type,
      source: i.source,
      ...(i.schema === null ? {} : { schema: i.schema }),
      ...(i.profile === null ? {} : { profile: i.profile }),
      tags: parseTags(i.tags),
      ...(i.context === null ? {} : { context: i.context }),
    })),
    outputs: (byRun.outputs.get(row.run_uuid) ?? []).map((o): RunOutput => ({
      kind: 'model_version',
      name: o.name,
      version: o.version,
      createdAt: o.created_at,
    })),
  }));
}
