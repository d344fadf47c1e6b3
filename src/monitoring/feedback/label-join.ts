// Joins a window of the prediction log with the labels that came back, in DuckDB: by request
// id and row, or — for labels sent by routing key and time — to that key's latest prediction
// at or before the time (an ASOF join).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlString, type SqlSession } from '../../data/index.js';
import type { KyselyFeedbackStore } from '../store/feedback-store.js';
import type { LabelledPrediction } from './realized-metrics.js';

/** Labels may come from a clock a little behind the model server's. */
const LABEL_SKEW_MS = 60_000;

export interface JoinedLabel extends LabelledPrediction {
  role: string;
}

/**
 * The window file's predictions that have labels. Only labels received since the window
 * began can belong to it (a label comes after its prediction), so only those are read.
 */
export async function joinLabels(
  session: SqlSession,
  feedback: KyselyFeedbackStore,
  deployment: string,
  windowFile: string,
  windowStart: number,
  dir: string,
): Promise<JoinedLabel[]> {
  const labels = await feedback.receivedSince(deployment, windowStart - LABEL_SKEW_MS);
  if (labels.length === 0) return [];
  const labelFile = join(dir, `labels-${Math.random().toString(36).slice(2)}.ndjson`);
  await writeFile(
    labelFile,
    labels
      .map((l) =>
        JSON.stringify({
          request_id: l.requestId ?? null,
          row_index: l.rowIndex ?? null,
          routing_key: l.routingKey ?? null,
          label_time: l.labelTime ?? null,
          label: l.label,
        }),
      )
      .join('\n'),
  );
  const w = `read_parquet(${sqlString(windowFile)})`;
  const l = `read_json(${sqlString(labelFile)}, format = 'newline_delimited', columns = {request_id: 'VARCHAR', row_index: 'INTEGER', routing_key: 'VARCHAR', label_time: 'BIGINT', label: 'DOUBLE'})`;
  const rows = await session.all(`
    with w as (select request_id, row_index, routing_key, epoch_ms(ts) as t, model_version, role, prediction from ${w}),
         l as (select * from ${l})
    select w.model_version as v, w.role as r, w.prediction as p, l.label as y
      from w join l on l.request_id = w.request_id and l.row_index = w.row_index
    union all
    select w.model_version as v, w.role as r, w.prediction as p, k.label as y
      from (select * from l where routing_key is not null and label_time is not null) k
      asof join w on k.routing_key = w.routing_key and k.label_time >= w.t`);
  return rows
    .filter((r) => typeof r.p === 'number' && typeof r.y === 'number')
    .map((r) => ({
      modelVersion: String(r.v),
      role: String(r.r),
      prediction: Number(r.p),
      label: Number(r.y),
    }));
}
