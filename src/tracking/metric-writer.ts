import { CompiledQuery, type QueryResult } from 'kysely';
import type { Dialect } from '../db/index.js';
import type { Metric } from './types.js';

// The hot path of tracking: metric rows go in as hand-written SQL with bound parameters,
// because building a Kysely AST for 1,000 rows × 6 values costs more than the insert itself.
// PostgreSQL gets one array parameter per column (unnest), SQLite one multi-row VALUES list
// (1,000 rows × 6 = 6,000 parameters, far below its 32,766 limit). Statement texts are cached
// by row count.

/** Rows per statement on SQLite. */
export const SQLITE_CHUNK = 1000;

interface MetricColumns {
  keys: string[];
  values: number[];
  nans: number[];
  timestamps: number[];
  steps: number[];
}

function columnsOf(metrics: Metric[]): MetricColumns {
  const c: MetricColumns = { keys: [], values: [], nans: [], timestamps: [], steps: [] };
  for (const m of metrics) {
    const nan = Number.isNaN(m.value);
    c.keys.push(m.key);
    // NaN is stored as a flag: SQLite would turn it into NULL and PostgreSQL sorts it above
    // every number, so neither dialect's own NaN is used.
    c.values.push(nan ? 0 : m.value);
    c.nans.push(nan ? 1 : 0);
    c.timestamps.push(m.timestamp);
    c.steps.push(m.step);
  }
  return c;
}

/** What the writer needs of a Kysely instance or transaction. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

const sqliteTexts = new Map<string, string>();

function sqliteValues(rows: number): string {
  return Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
}

function sqliteParams(runId: string, c: MetricColumns, from: number, to: number): unknown[] {
  const params: unknown[] = [];
  for (let i = from; i < to; i += 1)
    params.push(runId, c.keys[i], c.values[i], c.nans[i], c.timestamps[i], c.steps[i]);
  return params;
}

const PG_UNNEST = `unnest($2::text[], $3::float8[], $4::int4[], $5::int8[], $6::int8[]) as u(key, value, is_nan, timestamp, step)`;

const ACTIVE_RUN = `exists (select 1 from runs where run_uuid = $RUN and lifecycle_stage = 'active')`;

/**
 * Appends metric points to the history of an active run; the database's trigger (migration
 * 0002) moves each key's latest value in the same statement. Returns false (writing nothing)
 * when the run does not exist or is not active, so the caller needs no read beforehand.
 */
export async function insertMetricHistory(
  db: QueryRunner,
  dialect: Dialect,
  runId: string,
  metrics: Metric[],
): Promise<boolean> {
  const c = columnsOf(metrics);
  if (dialect === 'postgres') {
    const text = `insert into run_metrics (run_uuid, key, value, is_nan, timestamp, step)
      select $1, u.key, u.value, u.is_nan, u.timestamp, u.step from ${PG_UNNEST}
      where ${ACTIVE_RUN.replace('$RUN', '$1')}`;
    const result = await db.executeQuery(
      CompiledQuery.raw(text, [runId, c.keys, c.values, c.nans, c.timestamps, c.steps]),
    );
    return Number(result.numAffectedRows ?? 0) > 0;
  }
  let inserted = 0;
  for (let from = 0; from < metrics.length; from += SQLITE_CHUNK) {
    const to = Math.min(metrics.length, from + SQLITE_CHUNK);
    const cacheKey = `h${to - from}`;
    let text = sqliteTexts.get(cacheKey);
    if (!text) {
      text = `insert into run_metrics (run_uuid, key, value, is_nan, timestamp, step)
        select * from (values ${sqliteValues(to - from)}) where ${ACTIVE_RUN.replace('$RUN', '?')}`;
      sqliteTexts.set(cacheKey, text);
    }
    const result = await db.executeQuery(
      CompiledQuery.raw(text, [...sqliteParams(runId, c, from, to), runId]),
    );
    inserted += Number(result.numAffectedRows ?? 0);
    if (inserted === 0) return false;
  }
  return true;
}
