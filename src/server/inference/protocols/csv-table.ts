import {
  badRequest,
  type CellValue,
  type CompiledSignature,
  type FeatureBatch,
} from '../../../serving/index.js';
import { batchFromRows } from './tabular-decoding.js';

/** Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (quoted) throw badRequest('body', 'CSV has an unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * A `text/csv` body as pandas' `to_csv` writes it: a header, then rows. Numeric columns are
 * read as numbers (empty → missing); a field that is not a number stays text, and the
 * signature check then names its column.
 */
export function batchFromCsv(text: string, signature: CompiledSignature): FeatureBatch {
  const [header, ...body] = parseCsv(text);
  if (!header) throw badRequest('body', 'CSV is empty: a header row is required');
  const kinds = header.map((name) => {
    const c = signature.positionOf(name);
    return c === -1 ? 'skip' : signature.signature.inputs[c].type === 'string' ? 'text' : 'number';
  });
  const data: CellValue[][] = body.map((fields) =>
    fields.map((f, i) => {
      if (kinds[i] === 'text') return f === '' ? null : f;
      if (f === '') return null;
      const n = Number(f);
      if (!Number.isNaN(n)) return n;
      return f === 'NaN' || f === 'nan'
        ? Number.NaN
        : f === 'True' || f === 'true'
          ? true
          : f === 'False' || f === 'false'
            ? false
            : f;
    }),
  );
  return batchFromRows(header, data, signature, 'csv');
}
