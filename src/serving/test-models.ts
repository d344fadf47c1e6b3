// Test-only (excluded from the build): small real models trained on California housing and
// registered in a test Gyre the way a user would, so serving suites load them end to end.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from '../artifacts/index.js';
import {
  ServableModel,
  buildModelDirectory,
  fitPreprocessor,
  trainGbdt,
  trainLinearRegression,
  type RawValue,
} from '../ml/index.js';
import type { RegistryService } from '../registry/index.js';

const HOUSING_CSV = resolve(
  fileURLToPath(new URL('../..', import.meta.url)),
  'examples/data/california_housing.csv',
);

export const HOUSING_COLUMNS = [
  'longitude',
  'latitude',
  'housing_median_age',
  'total_rooms',
  'total_bedrooms',
  'population',
  'households',
  'median_income',
  'ocean_proximity',
] as const;

export interface HousingRows {
  /** Raw rows in HOUSING_COLUMNS order (null for missing, category strings). */
  rows: RawValue[][];
  target: Float64Array;
}

let cached: HousingRows | undefined;

/** The shipped California housing data as raw rows. */
export function housingRows(): HousingRows {
  if (cached) return cached;
  const lines = readFileSync(HOUSING_CSV, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const index = HOUSING_COLUMNS.map((c) => header.indexOf(c));
  const targetIndex = header.indexOf('median_house_value');
  const rows: RawValue[][] = [];
  const target: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    rows.push(
      index.map((i, k) => (k === 8 ? cells[i] : cells[i] === '' ? null : Number(cells[i]))),
    );
    target.push(Number(cells[targetIndex]) / 100_000);
  }
  cached = { rows, target: Float64Array.from(target) };
  return cached;
}

/** A GBDT over the raw housing columns, with its preprocessing (NaN kept, ordinal category). */
export function trainHousingGbdt(
  options: { rounds?: number; rows?: number; seed?: number; shuffleLabels?: boolean } = {},
) {
  const { rows } = housingRows();
  let { target } = housingRows();
  if (options.shuffleLabels) {
    // A deliberately bad model: labels paired with the wrong rows (a seeded permutation).
    target = Float64Array.from(target);
    let state = (options.seed ?? 0) + 12345;
    for (let i = target.length - 1; i > 0; i--) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const j = state % (i + 1);
      [target[i], target[j]] = [target[j], target[i]];
    }
  }
  const n = Math.min(options.rows ?? 3000, rows.length);
  const columns = HOUSING_COLUMNS.map((name, c) => ({
    name,
    values: rows.slice(0, n).map((r) => r[c]),
  }));
  const pre = fitPreprocessor(columns, { impute: 'none', categorical: 'ordinal' });
  const x = pre.transformColumns(columns.map((c) => c.values));
  const gbdt = trainGbdt({
    x,
    y: target.subarray(0, n),
    features: pre.outputFeatures,
    params: { numRounds: options.rounds ?? 20, maxDepth: 4, seed: options.seed ?? 0 },
  });
  return new ServableModel(gbdt, pre);
}

/** A linear model over the numeric housing columns, without imputation: it cannot take NaN. */
export function trainHousingLinear() {
  const { rows, target } = housingRows();
  const numeric = HOUSING_COLUMNS.slice(0, 8).filter((c) => c !== 'total_bedrooms');
  const columns = numeric.map((name) => ({
    name,
    values: rows.slice(0, 2000).map((r) => r[HOUSING_COLUMNS.indexOf(name)]),
  }));
  const pre = fitPreprocessor(columns, { impute: 'none', standardize: true });
  const x = pre.transformColumns(columns.map((c) => c.values));
  return new ServableModel(trainLinearRegression(x, target.subarray(0, 2000)), pre);
}

/** Writes a model directory under `dir` in the store. */
export async function putModelDirectory(
  artifacts: ArtifactStore,
  dir: string,
  files: Map<string, Uint8Array | string>,
): Promise<void> {
  for (const [path, body] of files) await artifacts.put(`${dir}/${path}`, Buffer.from(body));
}

/** Saves `model` in the store and registers it as the next version of `name`. */
export async function registerModel(
  gyre: { artifacts: ArtifactStore; registry: RegistryService },
  name: string,
  model: ServableModel,
): Promise<number> {
  try {
    await gyre.registry.getModel(name);
  } catch {
    await gyre.registry.createModel({ name });
  }
  const dir = `models-under-test/${name}/${Math.random().toString(36).slice(2)}`;
  await putModelDirectory(
    gyre.artifacts,
    dir,
    buildModelDirectory(model, { modelUuid: 'test', createdAt: new Date(0) }),
  );
  const version = await gyre.registry.createVersion({
    name,
    source: gyre.artifacts.uriOf(dir),
  });
  return version.version;
}

/** One housing row as a JSON-ready record. */
export function housingRecord(i = 0): Record<string, RawValue> {
  const row = housingRows().rows[i];
  return Object.fromEntries(HOUSING_COLUMNS.map((c, k) => [c, row[k]]));
}
