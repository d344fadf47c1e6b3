// Issue 13: a dataset version's Parquet file, read column by column in chunks through
// DuckDB, trains the same GBDT as the same data given as one matrix.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { ParquetColumnSpec } from '../../src/data/index.js';
import {
  describeParquetColumns,
  readParquetColumnChunks,
  sampleParquetColumns,
} from '../../src/data/index.js';
import { GbdtDatasetBuilder, trainGbdt, trainGbdtDataset } from '../../src/ml/index.js';
import { HOUSING_CSV } from '../fixtures/data-files.js';
import { NUMERIC_COLUMNS, loadCaliforniaHousing } from './california-housing.js';

async function housingParquet(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'gyre-parquet-')), 'housing.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(
    `copy (select * from read_csv('${HOUSING_CSV}', header = true)) to '${path}' (format parquet)`,
  );
  c.closeSync();
  db.closeSync();
  return path;
}

describe('training from a Parquet file in column chunks', () => {
  it('reads numeric and categorical columns in chunks and trains the same model', async () => {
    const path = await housingParquet();
    const specs: ParquetColumnSpec[] = [
      ...NUMERIC_COLUMNS.map((name) => ({ name, type: 'numeric' as const })),
      { name: 'ocean_proximity', type: 'categorical' },
      { name: 'median_house_value', type: 'numeric' },
    ];
    const info = await describeParquetColumns(path, specs);
    expect(info.numRows).toBe(20640);
    const housing = loadCaliforniaHousing();
    expect(info.columns[8].categories).toEqual(housing.features[8].categories);

    const featureColumns = info.columns.slice(0, 9);
    const features = featureColumns.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.type === 'categorical' ? { categories: c.categories } : {}),
    }));
    const builder = new GbdtDatasetBuilder({
      features,
      numRows: info.numRows,
      // A reservoir as large as the file holds every row: the same cuts as the whole matrix.
      sample: await sampleParquetColumns(path, featureColumns, info.numRows, 1),
    });
    let chunks = 0;
    for await (const chunk of readParquetColumnChunks(path, info.columns, { chunkRows: 5000 })) {
      chunks++;
      builder.append({ columns: chunk.columns.slice(0, 9), labels: chunk.columns[9] });
    }
    expect(chunks).toBe(5);
    const params = { numRounds: 20, maxDepth: 5, numThreads: 1 };
    const fromChunks = trainGbdtDataset(builder.finish(), { params });
    const fromMatrix = trainGbdt({
      x: housing.x,
      y: housing.y,
      features: housing.features,
      params,
    });
    expect(JSON.stringify(fromChunks.ensemble.trees)).toBe(
      JSON.stringify(fromMatrix.ensemble.trees),
    );
  });
});
