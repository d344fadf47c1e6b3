// The Open Inference Protocol v2 (KServe / Triton / MLServer REST): metadata, readiness and
// infer with typed tensors. A table travels as one tensor per column ([N] or [N, 1]), or as
// one [N, columns] tensor in signature order. Errors are {"error": "..."}.
import {
  InputError,
  badRequest,
  type BatchDecoder,
  type CellValue,
  type CompiledSignature,
  type FeatureBatch,
  type RoutingTable,
  type ServedRoute,
} from '../../../serving/index.js';
import { flatJson } from './number-json.js';
import { checkTensor, datatypeOf, type CheckedTensor } from './oip-tensors.js';
import { parseJsonObject } from './json-object.js';

export interface OipRequest {
  id?: string;
  inputs: CheckedTensor[];
  parameters?: Record<string, unknown>;
  /** Outputs the client asked for by name (all when absent). */
  outputs?: string[];
}

/** Parses and checks an infer request body (tensor datatypes and shapes included). */
export function parseOipRequest(text: string): OipRequest {
  const b = parseJsonObject(text, 'an inference request object');
  if (!Array.isArray(b.inputs) || b.inputs.length === 0)
    throw badRequest('inputs', 'must be a non-empty array of tensors');
  if (b.id !== undefined && typeof b.id !== 'string') throw badRequest('id', 'must be a string');
  if (
    b.parameters !== undefined &&
    (typeof b.parameters !== 'object' || b.parameters === null || Array.isArray(b.parameters))
  )
    throw badRequest('parameters', 'must be an object');
  let outputs: string[] | undefined;
  if (b.outputs !== undefined) {
    if (!Array.isArray(b.outputs)) throw badRequest('outputs', 'must be an array');
    outputs = b.outputs.map((o, i) => {
      const name = (o as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') throw badRequest(`outputs[${i}].name`, 'is required');
      return name;
    });
  }
  return {
    ...(b.id !== undefined ? { id: b.id as string } : {}),
    inputs: b.inputs.map(checkTensor),
    ...(b.parameters !== undefined ? { parameters: b.parameters as Record<string, unknown> } : {}),
    ...(outputs ? { outputs } : {}),
  };
}

function decode(request: OipRequest, signature: CompiledSignature): FeatureBatch {
  const inputs = request.inputs;
  // One tensor that is not a column: a [N, columns] matrix in signature order.
  if (inputs.length === 1 && signature.positionOf(inputs[0].name) === -1) {
    const t = inputs[0];
    if (t.shape.length !== 2 || t.shape[1] !== signature.width)
      throw badRequest(
        `input "${t.name}".shape`,
        `a single tensor must be [N, ${signature.width}] with columns ${signature.names.join(', ')}; or send one tensor per column`,
      );
    const n = t.shape[0];
    const w = signature.width;
    const rows: CellValue[][] = new Array<CellValue[]>(n);
    for (let r = 0; r < n; r++) rows[r] = t.data.slice(r * w, (r + 1) * w);
    return { layout: 'rows', numRows: n, rows };
  }
  const columns: CellValue[][] = new Array<CellValue[]>(signature.width);
  let n = -1;
  for (const t of inputs) {
    const c = signature.positionOf(t.name);
    if (c === -1)
      throw badRequest(
        `input "${t.name}"`,
        `is not an input of the model (inputs: ${signature.names.join(', ')})`,
      );
    if (t.shape.length > 2 || (t.shape.length === 2 && t.shape[1] !== 1))
      throw new InputError(
        t.name,
        `a column tensor has shape [N] or [N, 1], not [${t.shape.join(', ')}]`,
      );
    const rows = t.shape.length === 0 ? 1 : t.shape[0];
    if (n !== -1 && rows !== n)
      throw new InputError(t.name, `has ${rows} rows, other inputs have ${n}`);
    n = rows;
    columns[c] = t.data;
  }
  for (let c = 0; c < columns.length; c++) {
    if (columns[c] !== undefined) continue;
    if (signature.signature.inputs[c].required)
      throw new InputError(signature.names[c], 'is missing from the request');
    columns[c] = new Array<CellValue>(n).fill(null);
  }
  return { layout: 'columns', numRows: n, columns };
}

export const oipDecoder: BatchDecoder<OipRequest> = { decode };

/** An A/B routing key sent as a request field: in `parameters`. */
export function oipRoutingField(request: OipRequest, field: string): string | undefined {
  const v = request.parameters?.[field];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** The infer response: one FP64 output per named model output. */
export function oipResponse(
  modelName: string,
  route: ServedRoute,
  request: OipRequest,
  out: Float64Array,
  numRows: number,
): string {
  const outputs = route.signature.signature.outputs;
  const wanted = request.outputs;
  if (wanted) {
    const unknown = wanted.find((w) => !outputs.some((o) => o.name === w));
    if (unknown !== undefined)
      throw badRequest(
        'outputs',
        `the model has no output "${unknown}" (outputs: ${outputs.map((o) => o.name).join(', ')})`,
      );
  }
  // One output today ("predict", every column of the prediction); several would slice `out`.
  const output = outputs[0];
  const shape = output.width === 1 ? `[${numRows}]` : `[${numRows},${output.width}]`;
  const id = request.id !== undefined ? `,"id":${JSON.stringify(request.id)}` : '';
  return `{"model_name":${JSON.stringify(modelName)},"model_version":${JSON.stringify(route.version)}${id},"outputs":[{"name":${JSON.stringify(output.name)},"datatype":"FP64","shape":${shape},"data":${flatJson(out)}}]}`;
}

/** Model metadata: versions served, platform, typed inputs and outputs. */
export function oipMetadata(name: string, table: RoutingTable, route: ServedRoute): object {
  const signature = route.signature.signature;
  return {
    name,
    versions: table.routes.filter((r) => r.role !== 'shadow').map((r) => r.version),
    platform: `gyre-${route.model.flavor}`,
    inputs: signature.inputs.map((i) => ({
      name: i.name,
      datatype: datatypeOf(i.type),
      shape: [-1],
    })),
    outputs: signature.outputs.map((o) => ({
      name: o.name,
      datatype: 'FP64',
      shape: o.width === 1 ? [-1] : [-1, o.width],
    })),
  };
}

export function oipError(message: string): string {
  return JSON.stringify({ error: message });
}
