import type { TableColumnType } from '../../data/index.js';
import type { CellValue } from '../runtimes/model-runtime.js';
import type { PredictionRecord } from '../model-server/prediction-observer.js';
import type { ServedRoute } from '../model-server/routing-table.js';
import { applyPlan, type LogColumnPlan, type LogPrivacy } from './log-privacy.js';

/** The fixed columns of every prediction-log file, in order (docs/serving.md documents them). */
export const LOG_COLUMNS: readonly { name: string; type: TableColumnType }[] = [
  { name: 'request_id', type: 'VARCHAR' },
  { name: 'row_index', type: 'INTEGER' },
  { name: 'ts', type: 'TIMESTAMP_MS' },
  { name: 'deployment', type: 'VARCHAR' },
  { name: 'model_name', type: 'VARCHAR' },
  { name: 'model_version', type: 'VARCHAR' },
  { name: 'role', type: 'VARCHAR' },
  { name: 'routing_key', type: 'VARCHAR' },
  { name: 'latency_ms', type: 'DOUBLE' },
];

/** Prefix of the feature columns: `feature_<input name>`. */
export const FEATURE_PREFIX = 'feature_';

/**
 * Every column of a log file for one model version: fixed, predictions, then features —
 * without the inputs a PII plan drops, and as text the ones it hashes.
 */
export function logColumns(
  route: ServedRoute,
  plan?: LogColumnPlan,
): { name: string; type: TableColumnType }[] {
  const width = route.signature.numOutputs;
  return [
    ...LOG_COLUMNS,
    ...Array.from({ length: width }, (_, k) => ({
      name: k === 0 ? 'prediction' : `prediction_${k}`,
      type: 'DOUBLE' as const,
    })),
    ...route.signature.signature.inputs
      .filter((_, i) => plan?.[i] !== 'drop')
      .map((input) => ({
        name: `${FEATURE_PREFIX}${input.name}`,
        type:
          input.type === 'string' ||
          plan?.[route.signature.signature.inputs.indexOf(input)] === 'hash'
            ? ('VARCHAR' as const)
            : ('DOUBLE' as const),
      })),
  ];
}

// The CSV dialect convertCsvFile reads: RFC 4180 quotes, `null` (unquoted) for NULL.

/** One CSV field, quoted RFC 4180 style. */
function field(v: CellValue): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number')
    return v === v && v !== Infinity && v !== -Infinity ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return `"${v.replaceAll('"', '""')}"`;
}

/**
 * A row of values as CSV fields. JSON.stringify is V8's fastest serializer, and for numbers,
 * nulls and strings without quotes, backslashes or control characters its array text *is*
 * the CSV we want; anything else takes the careful path.
 */
function fields(values: readonly CellValue[]): string {
  const json = JSON.stringify(values);
  if (json.indexOf('\\') === -1 && json.indexOf('true') === -1 && json.indexOf('false') === -1)
    return json.slice(1, -1);
  let s = '';
  for (let i = 0; i < values.length; i++) s += (i === 0 ? '' : ',') + field(values[i]);
  return s;
}

/** The fields every row of one route shares: deployment, model name, version, role. */
export function routeFields(deployment: string, route: ServedRoute): string {
  return `${field(deployment)},${field(route.model.name)},${field(route.version)},${route.role}`;
}

const PLAIN_ID = /^[\w.-]*$/;

/** Writes the CSV lines of a record's rows into `out`, in `logColumns` order. */
export function appendLines(
  record: PredictionRecord,
  head: string,
  out: string[],
  pii?: { plan: NonNullable<LogColumnPlan>; privacy: LogPrivacy },
): void {
  const { route, batch, predictions } = record;
  const width = route.signature.numOutputs;
  // Request ids are Gyre's own or checked to be plain ([\w.-]) at the door: no quoting.
  const id = PLAIN_ID.test(record.requestId) ? record.requestId : field(record.requestId);
  const shared = `${record.timestamp},${head},${field(record.routingKey)},${Math.round(record.latencyMs * 1000) / 1000}`;
  const row: CellValue[] = [];
  for (let r = 0; r < batch.numRows; r++) {
    let line = `${id},${r},${shared}`;
    for (let k = 0; k < width; k++) line += `,${field(predictions[r * width + k])}`;
    let values: readonly CellValue[];
    if (batch.layout === 'rows') values = batch.rows[r] as readonly CellValue[];
    else {
      row.length = 0;
      for (let c = 0; c < batch.columns.length; c++) row.push(batch.columns[c][r]);
      values = row;
    }
    if (pii) values = applyPlan(values, pii.plan, pii.privacy);
    out.push(values.length > 0 ? `${line},${fields(values)}` : line);
  }
}
