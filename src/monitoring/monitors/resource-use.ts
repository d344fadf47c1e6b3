// Resource use and cost of a deployment over a window, from the usage records serving's
// prediction log writes beside the log (`prediction-logs/_usage/`): each holds one process's
// CPU seconds and resident memory between two writes and the rows each deployment logged
// meanwhile. A process's CPU is shared among its deployments by their rows; in `gyre up` the
// process also serves the API, so the figure is an upper bound there.
import { join } from 'node:path';
import { sqlString, type SqlSession } from '../../data/index.js';
import type { ResourceUse } from './monitor-types.js';

const SECONDS_PER_HOUR = 3600;

export async function measureResourceUse(
  session: SqlSession,
  root: string,
  deployment: string,
  window: { start: number; end: number },
  cpuHourPriceUsd: number,
): Promise<ResourceUse | undefined> {
  const glob = join(root, 'prediction-logs', '_usage', '*.json');
  const files = await session.all(`select file from glob(${sqlString(glob)})`);
  if (files.length === 0) return undefined;
  const source = `read_json([${files.map((f) => sqlString(String(f.file))).join(', ')}], columns = {tag: 'VARCHAR', start: 'BIGINT', "end": 'BIGINT', cpu_seconds: 'DOUBLE', rss_bytes: 'BIGINT', rows: 'STRUCT(deployment VARCHAR, "rows" BIGINT)[]'})`;
  const name = sqlString(deployment);
  const [row] = await session.all(`
    with samples as (
      select cpu_seconds, rss_bytes,
        list_sum(list_transform(rows, x -> x."rows")) as total,
        coalesce(list_sum(list_transform(list_filter(rows, x -> x.deployment = ${name}), x -> x."rows")), 0) as mine
      from ${source}
      where "end" >= ${window.start} and start <= ${window.end})
    select sum(cpu_seconds * mine / total) as cpu, sum(mine) as n,
      avg(rss_bytes * mine / total) as rss, avg(mine) as per_sample
    from samples where mine > 0`);
  const n = Number(row?.n ?? 0);
  if (!row || n === 0) return undefined;
  const cpuSecondsPer1k = (Number(row.cpu) / n) * 1000;
  return {
    cpuSecondsPer1k,
    memoryBytesPer1k: (Number(row.rss) / Number(row.per_sample)) * 1000,
    costPer1kUsd: (cpuSecondsPer1k / SECONDS_PER_HOUR) * cpuHourPriceUsd,
    predictions: n,
  };
}
