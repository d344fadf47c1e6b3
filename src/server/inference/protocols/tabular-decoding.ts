// Shared ways protocols carry tables: rows with a column list, records, or a dict of columns.
// Each yields a FeatureBatch in the signature's column order, reusing the arrays JSON.parse
// made wherever the client's order already matches.
import {
  InputError,
  badRequest,
  type CellValue,
  type CompiledSignature,
  type FeatureBatch,
} from '../../../serving/index.js';

type Row = CellValue[];

function missing(signature: CompiledSignature, c: number): never {
  throw new InputError(signature.names[c], 'is missing from the request');
}

/** Rows (arrays) with the client's column names, or in signature order when `columns` is absent. */
export function batchFromRows(
  columns: unknown,
  data: unknown,
  signature: CompiledSignature,
  field: string,
): FeatureBatch {
  if (!Array.isArray(data)) throw badRequest(`${field}.data`, 'must be an array of rows');
  let order: Int32Array | undefined;
  let width = signature.width;
  if (columns !== undefined) {
    if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string'))
      throw badRequest(`${field}.columns`, 'must be an array of column names');
    order = signature.orderOf(columns as string[]);
    width = columns.length;
    if (order !== undefined)
      for (let c = 0; c < order.length; c++)
        if (order[c] === -1 && signature.signature.inputs[c].required) missing(signature, c);
  }
  const n = data.length;
  for (let r = 0; r < n; r++) {
    const row: unknown = data[r];
    if (!Array.isArray(row) || row.length !== width)
      throw badRequest(
        `${field}.data[${r}]`,
        `must be an array of ${width} values${columns === undefined ? ` (${signature.names.join(', ')})` : ''}`,
      );
  }
  if (order === undefined) return { layout: 'rows', numRows: n, rows: data as Row[] };
  const rows: Row[] = new Array<Row>(n);
  for (let r = 0; r < n; r++) {
    const source = data[r] as Row;
    const row: Row = new Array<CellValue>(order.length);
    for (let c = 0; c < order.length; c++) row[c] = order[c] === -1 ? null : source[order[c]];
    rows[r] = row;
  }
  return { layout: 'rows', numRows: n, rows };
}

function isRecord(value: unknown): value is Record<string, CellValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list of `{column: value}` objects. */
export function batchFromRecords(
  records: unknown,
  signature: CompiledSignature,
  field: string,
): FeatureBatch {
  if (!Array.isArray(records)) throw badRequest(field, 'must be an array of records');
  const names = signature.names;
  const inputs = signature.signature.inputs;
  const rows: Row[] = new Array<Row>(records.length);
  for (let r = 0; r < records.length; r++) {
    const record: unknown = records[r];
    if (!isRecord(record)) throw badRequest(`${field}[${r}]`, 'must be an object of column values');
    const row: Row = new Array<CellValue>(names.length);
    for (let c = 0; c < names.length; c++) {
      const v = record[names[c]];
      if (v === undefined && inputs[c].required) missing(signature, c);
      row[c] = v ?? null;
    }
    rows[r] = row;
  }
  return { layout: 'rows', numRows: records.length, rows };
}

/** `{column: [values]}`: one array per column, all of one length. */
export function batchFromColumnDict(
  dict: Record<string, unknown>,
  signature: CompiledSignature,
  field: string,
): FeatureBatch {
  const names = signature.names;
  const inputs = signature.signature.inputs;
  let n = -1;
  for (const name of names) {
    const column = dict[name];
    if (column === undefined) continue;
    if (!Array.isArray(column)) throw badRequest(`${field}.${name}`, 'must be an array of values');
    if (n !== -1 && column.length !== n)
      throw badRequest(`${field}.${name}`, `has ${column.length} values, other columns have ${n}`);
    n = column.length;
  }
  if (n === -1) n = 0;
  const columns: CellValue[][] = names.map((name, c) => {
    const column = dict[name];
    if (column === undefined) {
      if (inputs[c].required) missing(signature, c);
      return new Array<CellValue>(n).fill(null);
    }
    return column as CellValue[];
  });
  return { layout: 'columns', numRows: n, columns };
}

/**
 * `instances` / `inputs` as TF Serving's row format: records, rows in signature order, or
 * (a one-column model) bare values.
 */
export function batchFromInstances(
  instances: unknown,
  signature: CompiledSignature,
  field: string,
): FeatureBatch {
  if (!Array.isArray(instances)) throw badRequest(field, 'must be an array of instances');
  if (instances.length === 0) return { layout: 'rows', numRows: 0, rows: [] };
  if (isRecord(instances[0])) return batchFromRecords(instances, signature, field);
  if (Array.isArray(instances[0])) return batchFromRows(undefined, instances, signature, field);
  if (signature.width === 1)
    return { layout: 'columns', numRows: instances.length, columns: [instances as CellValue[]] };
  throw badRequest(`${field}[0]`, `must be a record or a row of ${signature.width} values`);
}
