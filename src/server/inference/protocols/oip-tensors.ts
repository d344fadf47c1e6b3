// Typed tensors of the Open Inference Protocol (v2): datatypes, shapes, row-major data.
import { badRequest, type CellValue, type InputType } from '../../../serving/index.js';

export const OIP_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;
export type OipDatatype = (typeof OIP_DATATYPES)[number];

const INTEGER_RANGES: Partial<Record<OipDatatype, [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The OIP datatype that carries a signature column. */
export function datatypeOf(type: InputType): OipDatatype {
  switch (type) {
    case 'double':
      return 'FP64';
    case 'float':
      return 'FP32';
    case 'long':
      return 'INT64';
    case 'integer':
      return 'INT32';
    case 'boolean':
      return 'BOOL';
    case 'string':
      return 'BYTES';
  }
}

/** One request tensor, checked: its shape is consistent and its data matches its datatype. */
export interface CheckedTensor {
  name: string;
  shape: number[];
  datatype: OipDatatype;
  /** Row-major, flattened. */
  data: CellValue[];
}

const DATATYPES: ReadonlySet<string> = new Set(OIP_DATATYPES);

function flatten(data: unknown[]): unknown[] {
  for (let i = 0; i < data.length; i++)
    if (Array.isArray(data[i])) return data.flat(Infinity) as unknown[];
  return data;
}

function isShape(shape: unknown): shape is number[] {
  if (!Array.isArray(shape)) return false;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) return false;
  }
  return true;
}

/** Checks one `inputs[i]` object; errors name the tensor and the field. */
export function checkTensor(value: unknown, i: number): CheckedTensor {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest(`inputs[${i}]`, 'must be a tensor object with name, shape, datatype and data');
  const t = value as Record<string, unknown>;
  const name = t.name;
  if (typeof name !== 'string' || name === '') throw badRequest(`inputs[${i}].name`, 'is required');
  const shape = t.shape;
  if (!isShape(shape))
    throw badRequest(`input "${name}".shape`, 'must be an array of non-negative integers');
  const datatype = t.datatype;
  if (typeof datatype !== 'string' || !DATATYPES.has(datatype))
    throw badRequest(`input "${name}".datatype`, `must be one of ${OIP_DATATYPES.join(', ')}`);
  if (!Array.isArray(t.data)) throw badRequest(`input "${name}".data`, 'must be an array');
  const data = flatten(t.data);
  let size = 1;
  for (let d = 0; d < shape.length; d++) size *= shape[d];
  if (data.length !== size)
    throw badRequest(
      `input "${name}".data`,
      `holds ${data.length} values, shape [${shape.join(', ')}] needs ${size}`,
    );
  const bad = firstBadValue(datatype as OipDatatype, data);
  if (bad !== -1) throw badValue(name, datatype as OipDatatype, data, bad);
  return { name, shape, datatype: datatype as OipDatatype, data: data as CellValue[] };
}

/** The index of the first value its datatype cannot hold, or -1. One loop, no closures. */
function firstBadValue(datatype: OipDatatype, data: unknown[]): number {
  if (datatype === 'BYTES') {
    for (let j = 0; j < data.length; j++) if (typeof data[j] !== 'string') return j;
    return -1;
  }
  if (datatype === 'BOOL') {
    for (let j = 0; j < data.length; j++) if (typeof data[j] !== 'boolean') return j;
    return -1;
  }
  const range = INTEGER_RANGES[datatype];
  for (let j = 0; j < data.length; j++) {
    const v = data[j];
    // JSON has no NaN: a missing floating-point value travels as null.
    if (v === null && range === undefined) continue;
    if (typeof v !== 'number') return j;
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) return j;
  }
  return -1;
}

function badValue(name: string, datatype: OipDatatype, data: unknown[], j: number) {
  const range = INTEGER_RANGES[datatype];
  const what =
    datatype === 'BYTES'
      ? 'a string'
      : datatype === 'BOOL'
        ? 'a boolean'
        : range
          ? `an integer from ${range[0]} to ${range[1]}`
          : 'a number';
  return badRequest(
    `input "${name}".data[${j}]`,
    `${JSON.stringify(data[j])} is not ${what} (${datatype})`,
  );
}
