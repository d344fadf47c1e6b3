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

function flatten(data: unknown[]): unknown[] {
  return data.some(Array.isArray) ? (data.flat(Infinity) as unknown[]) : data;
}

/** Checks one `inputs[i]` object; errors name the tensor and the field. */
export function checkTensor(value: unknown, i: number): CheckedTensor {
  const field = `inputs[${i}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest(field, 'must be a tensor object with name, shape, datatype and data');
  const t = value as Record<string, unknown>;
  if (typeof t.name !== 'string' || t.name === '') throw badRequest(`${field}.name`, 'is required');
  const where = `input "${t.name}"`;
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && (d as number) >= 0))
    throw badRequest(`${where}.shape`, 'must be an array of non-negative integers');
  if (typeof t.datatype !== 'string' || !(OIP_DATATYPES as readonly string[]).includes(t.datatype))
    throw badRequest(`${where}.datatype`, `must be one of ${OIP_DATATYPES.join(', ')}`);
  if (!Array.isArray(t.data)) throw badRequest(`${where}.data`, 'must be an array');
  const shape = t.shape as number[];
  const datatype = t.datatype as OipDatatype;
  const data = flatten(t.data);
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size)
    throw badRequest(
      `${where}.data`,
      `holds ${data.length} values, shape [${shape.join(', ')}] needs ${size}`,
    );
  checkData(where, datatype, data);
  return { name: t.name, shape, datatype, data: data as CellValue[] };
}

function checkData(where: string, datatype: OipDatatype, data: unknown[]): void {
  const bad = (j: number, what: string) =>
    badRequest(`${where}.data[${j}]`, `${JSON.stringify(data[j])} is not ${what} (${datatype})`);
  if (datatype === 'BYTES') {
    for (let j = 0; j < data.length; j++) if (typeof data[j] !== 'string') throw bad(j, 'a string');
    return;
  }
  if (datatype === 'BOOL') {
    for (let j = 0; j < data.length; j++)
      if (typeof data[j] !== 'boolean') throw bad(j, 'a boolean');
    return;
  }
  const range = INTEGER_RANGES[datatype];
  for (let j = 0; j < data.length; j++) {
    const v = data[j];
    // JSON has no NaN: a missing floating-point value travels as null.
    if (v === null && range === undefined) continue;
    if (typeof v !== 'number') throw bad(j, range ? 'an integer' : 'a number');
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1]))
      throw bad(j, `an integer from ${range[0]} to ${range[1]}`);
  }
}
