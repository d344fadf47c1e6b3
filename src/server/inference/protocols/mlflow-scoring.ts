// MLflow's scoring protocol (`mlflow models serve`): POST /invocations with a JSON body in one
// of four shapes, or text/csv; answers {"predictions": [...]}; errors as
// {"error_code": "BAD_REQUEST", "message": "..."}.
import {
  badRequest,
  type BatchDecoder,
  type CompiledSignature,
  type FeatureBatch,
} from '../../../serving/index.js';
import { batchFromCsv } from './csv-table.js';
import { predictionsJson } from './number-json.js';
import {
  batchFromColumnDict,
  batchFromInstances,
  batchFromRecords,
  batchFromRows,
} from './tabular-decoding.js';
import { parseJsonObject } from './json-object.js';

const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
type Format = (typeof FORMATS)[number];

export type MlflowRequest =
  | { format: Format; value: unknown; params?: Record<string, unknown> }
  | { format: 'csv'; text: string };

/** Reads a request body by content type; throws InvalidArgumentError with MLflow's wording. */
export function parseMlflowRequest(contentType: string | undefined, text: string): MlflowRequest {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return { format: 'csv', text };
  if (type !== 'application/json')
    throw badRequest(
      'content-type',
      `this predictor only supports the content types application/json and text/csv, got ${JSON.stringify(contentType ?? '')}`,
    );
  const object = parseJsonObject(text, `a JSON object with exactly one of ${FORMATS.join(', ')}`);
  const present = FORMATS.filter((f) => object[f] !== undefined);
  if (present.length !== 1)
    throw badRequest(
      'body',
      `the input must be a JSON object with exactly one of the fields ${FORMATS.join(', ')}; got ${present.length === 0 ? Object.keys(object).join(', ') || 'none' : present.join(', ')}`,
    );
  const params = object.params;
  if (
    params !== undefined &&
    (typeof params !== 'object' || params === null || Array.isArray(params))
  )
    throw badRequest('params', 'must be an object');
  return {
    format: present[0],
    value: object[present[0]],
    params: params as Record<string, unknown> | undefined,
  };
}

function decode(request: MlflowRequest, signature: CompiledSignature): FeatureBatch {
  switch (request.format) {
    case 'csv':
      return batchFromCsv(request.text, signature);
    case 'dataframe_split': {
      const split = request.value;
      if (typeof split !== 'object' || split === null || Array.isArray(split))
        throw badRequest('dataframe_split', 'must be an object with columns and data');
      const { columns, data } = split as Record<string, unknown>;
      return batchFromRows(columns, data, signature, 'dataframe_split');
    }
    case 'dataframe_records':
      return batchFromRecords(request.value, signature, 'dataframe_records');
    case 'instances':
      return batchFromInstances(request.value, signature, 'instances');
    case 'inputs': {
      const value = request.value;
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return batchFromColumnDict(value as Record<string, unknown>, signature, 'inputs');
      return batchFromInstances(value, signature, 'inputs');
    }
  }
}

export const mlflowDecoder: BatchDecoder<MlflowRequest> = { decode };

/** An A/B routing key sent as a request field: in `params`. */
export function mlflowRoutingField(request: MlflowRequest, field: string): string | undefined {
  if (request.format === 'csv') return undefined;
  const v = request.params?.[field];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

export function mlflowResponse(out: Float64Array, numRows: number, width: number): string {
  return `{"predictions":${predictionsJson(out, numRows, width)}}`;
}

/** MLflow's error body: its error codes, the message. */
export function mlflowError(code: string, message: string): string {
  const errorCode =
    code === 'INVALID_ARGUMENT' || code === 'PAYLOAD_TOO_LARGE'
      ? 'BAD_REQUEST'
      : code === 'NOT_FOUND'
        ? 'RESOURCE_DOES_NOT_EXIST'
        : code === 'UNAVAILABLE'
          ? 'TEMPORARILY_UNAVAILABLE'
          : 'INTERNAL_ERROR';
  return JSON.stringify({ error_code: errorCode, message });
}
