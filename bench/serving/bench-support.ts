// Request bodies and wrk output parsing for bench/serving/run.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOUSING_CSV, HOUSING_NUMERIC_COLUMNS } from '../../test/fixtures/data-files.js';

/** Housing rows as the model takes them: 8 numeric columns and ocean_proximity as a sorted-category code. */
export function housingFeatureRows(): { columns: string[]; rows: (number | null)[][] } {
  const lines = readFileSync(HOUSING_CSV, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const cells = lines.slice(1).map((l) => l.split(','));
  const oceanIndex = header.indexOf('ocean_proximity');
  const categories = [...new Set(cells.map((c) => c[oceanIndex]))].sort();
  const rows = cells.map((c) => [
    ...HOUSING_NUMERIC_COLUMNS.map((n) =>
      c[header.indexOf(n)] === '' ? null : Number(c[header.indexOf(n)]),
    ),
    categories.indexOf(c[oceanIndex]),
  ]);
  return { columns: [...HOUSING_NUMERIC_COLUMNS, 'ocean_proximity'], rows };
}

/** One-row request bodies: MLflow dataframe_split and OIP tensors per column. */
export function housingBodies(dir: string): { split: string; oip: string } {
  const { columns, rows } = housingFeatureRows();
  const row = rows[0];
  const split = join(dir, 'split.json');
  const oip = join(dir, 'oip.json');
  writeFileSync(split, JSON.stringify({ dataframe_split: { columns, data: [row] } }));
  writeFileSync(
    oip,
    JSON.stringify({
      inputs: columns.map((name, i) => ({ name, datatype: 'FP64', shape: [1], data: [row[i]] })),
    }),
  );
  return { split, oip };
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function ms(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

export function parseWrk(text: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const p50 = ms(/\s50%\s+(\S+)/.exec(text)?.[1] ?? '');
  const p99 = ms(/\s99%\s+(\S+)/.exec(text)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: (.*)/.exec(text)?.[1];
  if (socketErrors) console.error(`wrk socket errors: ${socketErrors}`);
  return { rps, p50, p99, non2xx };
}
