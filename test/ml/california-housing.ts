// Loads the California housing CSV shipped in examples/data for the ML suites (ml itself
// takes arrays, not files).
import { readFileSync } from 'node:fs';
import type { DenseMatrix, FeatureSpec } from '../../src/ml/index.js';
import { matrixFromColumns } from '../../src/ml/index.js';
import { HOUSING_CSV, HOUSING_NUMERIC_COLUMNS } from '../fixtures/data-files.js';

export const NUMERIC_COLUMNS = HOUSING_NUMERIC_COLUMNS;

/** Features (8 numeric + ocean_proximity as sorted category codes) and the house value. */
export interface CaliforniaHousing {
  x: DenseMatrix;
  y: Float64Array;
  features: FeatureSpec[];
  /** Raw columns by name, NaN for missing, for tests that build their own matrices. */
  columns: Record<string, Float64Array>;
  oceanProximity: string[];
}

/** Loads the shipped CSV (or the same table at `csvPath`, for compiled benchmarks). */
export function loadCaliforniaHousing(csvPath = HOUSING_CSV): CaliforniaHousing {
  const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const col = (name: string): number => header.indexOf(name);
  const num = (name: string): Float64Array =>
    Float64Array.from(rows, (r) => (r[col(name)] === '' ? NaN : Number(r[col(name)])));
  const columns: Record<string, Float64Array> = {};
  for (const name of [...NUMERIC_COLUMNS, 'median_house_value']) columns[name] = num(name);
  const oceanProximity = rows.map((r) => r[col('ocean_proximity')]);
  const categories = [...new Set(oceanProximity)].sort();
  const oceanCode = Float64Array.from(oceanProximity, (v) => categories.indexOf(v));
  columns.ocean_proximity = oceanCode;
  const x = matrixFromColumns([...NUMERIC_COLUMNS.map((c) => columns[c]), oceanCode]);
  const features: FeatureSpec[] = [
    ...NUMERIC_COLUMNS.map((name) => ({ name, type: 'numeric' as const })),
    { name: 'ocean_proximity', type: 'categorical', categories },
  ];
  return { x, y: columns.median_house_value, features, columns, oceanProximity };
}
