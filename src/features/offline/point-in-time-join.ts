import { InvalidArgumentError } from '../../core/index.js';
import { sqlIdent, sqlString, type SqlSession } from '../../data/index.js';
import { timestampExpr, viewTable } from './view-tables.js';

/** One view's part of a training set: the features it gives and how they join. */
export interface JoinedView {
  name: string;
  joinKeys: string[];
  features: string[];
  ttlMs: number;
}

export interface PointInTimeRequest {
  /** A SQL relation of entity rows: join keys, a timestamp column, anything else (labels). */
  entities: string;
  timestampColumn: string;
  views: JoinedView[];
  /** The Parquet file written. */
  output: string;
  /** Entity columns left out of the output (join keys and timestamp, for a model's inputs). */
  drop?: string[];
}

/** A relation over a local entity file, by extension: Parquet, CSV/TSV or NDJSON. */
export function entityRelation(path: string): string {
  const p = sqlString(path);
  if (/\.parquet$/i.test(path)) return `read_parquet(${p})`;
  if (/\.(csv|tsv)$/i.test(path)) return `read_csv_auto(${p})`;
  if (/\.(ndjson|jsonl|json)$/i.test(path)) return `read_json_auto(${p})`;
  throw new InvalidArgumentError(
    `entities: ${path} is not a .parquet, .csv, .tsv or .ndjson file`,
    {
      field: 'entities',
    },
  );
}

/**
 * Builds the point-in-time join: each entity row gets, from every view, the feature values
 * of the latest row with the same join keys whose event time is at or before the entity
 * row's timestamp (a DuckDB ASOF LEFT JOIN, so never a later value), and only when that row
 * is no older than the view's TTL; otherwise the features are null. Entity rows are kept
 * one for one, whatever else they carry.
 */
export function pointInTimeSql(
  request: Omit<PointInTimeRequest, 'output'>,
  entityTsExpr: string,
): string {
  const parts: string[] = [];
  const dropped = ['__ets', ...(request.drop ?? []).map(sqlIdent)].join(', ');
  const selects: string[] = [`e.* exclude (${dropped})`];
  request.views.forEach((v, i) => {
    const alias = `v${i}`;
    const ts = `__ts${i}`;
    const cols = [...v.joinKeys.map(sqlIdent), `__ts as ${ts}`, ...v.features.map(sqlIdent)];
    const on = [
      ...v.joinKeys.map((k) => `e.${sqlIdent(k)} = ${alias}.${sqlIdent(k)}`),
      `e.__ets >= ${alias}.${ts}`,
    ].join(' and ');
    parts.push(
      `asof left join (select ${cols.join(', ')} from ${viewTable(v.name)}) ${alias} on ${on}`,
    );
    // TTL: a value is usable while the entity time is within ttl of the value's event time.
    const fresh = `${alias}.${ts} >= e.__ets - to_milliseconds(${Math.round(v.ttlMs)})`;
    for (const f of v.features)
      selects.push(`case when ${fresh} then ${alias}.${sqlIdent(f)} end as ${sqlIdent(f)}`);
  });
  return (
    `select ${selects.join(', ')} from ` +
    `(select *, ${entityTsExpr} as __ets from ${request.entities}) e ${parts.join(' ')}`
  );
}

/**
 * Writes the point-in-time join to a Parquet file, streamed by DuckDB (never held in memory
 * as a whole). The views must already be in the session (see createViewTable).
 */
export async function writePointInTime(
  session: SqlSession,
  request: PointInTimeRequest,
): Promise<{ rows: number; columns: string[] }> {
  let columns: { name: string; type: string }[];
  try {
    columns = await session.describe(`select * from ${request.entities}`);
  } catch (error) {
    throw new InvalidArgumentError(`entities: ${firstLine(error)}`, { field: 'entities' });
  }
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  const tsType = typeOf.get(request.timestampColumn);
  if (tsType === undefined)
    throw new InvalidArgumentError(
      `entities: no timestamp column ${request.timestampColumn} (columns: ${columns.map((c) => c.name).join(', ')}); name it with --timestamp-column`,
      { field: 'timestamp_column' },
    );
  const ts = timestampExpr(request.timestampColumn, tsType);
  if (ts === undefined)
    throw new InvalidArgumentError(
      `entities: ${request.timestampColumn} is ${tsType}, not a timestamp or epoch milliseconds`,
      { field: 'timestamp_column' },
    );
  for (const v of request.views) {
    for (const k of v.joinKeys)
      if (!typeOf.has(k))
        throw new InvalidArgumentError(
          `entities: no join key column ${k} (needed by feature view ${v.name})`,
          { field: 'entities' },
        );
    for (const f of v.features)
      if (typeOf.has(f))
        throw new InvalidArgumentError(
          `entities: column ${f} is also a feature of ${v.name}; rename it in the entity rows`,
          { field: 'entities' },
        );
  }
  const sql = pointInTimeSql(request, ts);
  try {
    await session.run(
      `copy (${sql}) to ${sqlString(request.output)} (format parquet, compression zstd)`,
    );
  } catch (error) {
    throw new InvalidArgumentError(`training set: ${firstLine(error)}`, { field: 'entities' });
  }
  const [count] = await session.all(
    `select count(*)::bigint as n from read_parquet(${sqlString(request.output)})`,
  );
  return {
    rows: Number(count.n),
    columns: [
      ...columns.map((c) => c.name).filter((c) => !request.drop?.includes(c)),
      ...request.views.flatMap((v) => v.features),
    ],
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')[0]
    .replace(/^[A-Za-z ]+ Error: /, '')
    .trim();
}
