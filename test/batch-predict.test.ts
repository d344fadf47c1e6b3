// `gyre predict`: a file or a dataset version scored in chunks, predictions written beside an
// id column, the same numbers the model gives row by row; bad inputs name the column.
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliOn } from '../src/cli/test-cli.js';
import {
  HOUSING_COLUMNS,
  housingRows,
  registerModel,
  trainHousingGbdt,
} from '../src/serving/test-models.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';
import { HOUSING_CSV } from './fixtures/data-files.js';

async function readTable(path: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(`select * from '${path}'`)).getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('gyre predict', () => {
  let t: TestGyre;
  const model = trainHousingGbdt({ rounds: 10 });
  const { rows } = housingRows();
  const expected = model.predictColumns(HOUSING_COLUMNS.map((_, c) => rows.map((r) => r[c])));

  beforeAll(async () => {
    t = await createTestGyre('sqlite');
    await registerModel(t.gyre, 'housing', model);
    await t.gyre.registry.setAlias('housing', 'champion', 1);
  });
  afterAll(() => t.close());

  it('scores a CSV file in chunks into Parquet, keyed by row number', async () => {
    const output = join(t.home, 'preds.parquet');
    const result = await runCliOn(
      t.gyre,
      'predict',
      'housing@champion',
      '--input',
      HOUSING_CSV,
      '--output',
      output,
      '--chunk-rows',
      '5000',
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      `20640 predictions by housing/1 → ${output} (row_number, prediction)\n`,
    );
    const table = await readTable(output);
    expect(table).toHaveLength(20640);
    for (const i of [0, 4999, 5000, 20639]) {
      expect(table[i].row_number).toBe(i);
      expect(table[i].prediction as number).toBeCloseTo(expected[i], 9);
    }
  });

  it('joins predictions to an id column; NDJSON in, CSV out; a dataset version in', async () => {
    const input = join(t.home, 'rows.ndjson');
    writeFileSync(
      input,
      rows
        .slice(0, 50)
        .map((r, i) =>
          JSON.stringify({
            id: `house-${i}`,
            ...Object.fromEntries(HOUSING_COLUMNS.map((c, k) => [c, r[k]])),
          }),
        )
        .join('\n'),
    );
    const output = join(t.home, 'preds.csv');
    expect(
      (await runCliOn(t.gyre, 'predict', 'housing/1', '--input', input, '--output', output)).stderr,
    ).toBe('');
    const table = await readTable(output);
    expect(table[7]).toMatchObject({ id: 'house-7' });
    expect(table[7].prediction as number).toBeCloseTo(expected[7], 9);

    await t.gyre.data.datasets.ingest({ source: HOUSING_CSV, name: 'housing' });
    const fromDataset = join(t.home, 'dataset-preds.ndjson');
    const json = await runCliOn(
      t.gyre,
      'predict',
      'housing@champion',
      '--input',
      'housing@1',
      '--output',
      fromDataset,
      '--json',
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ rows: 20640, model: 'housing/1' });
  });

  it('names a missing column, an unknown id column and an unknown output format', async () => {
    const input = join(t.home, 'short.csv');
    writeFileSync(input, 'longitude,latitude\n1,2\n');
    const missing = await runCliOn(
      t.gyre,
      'predict',
      'housing/1',
      '--input',
      input,
      '--output',
      join(t.home, 'x.parquet'),
    );
    expect(missing.stderr).toMatch(/column "housing_median_age": is missing from the input/);
    const noId = await runCliOn(
      t.gyre,
      'predict',
      'housing/1',
      '--input',
      HOUSING_CSV,
      '--output',
      join(t.home, 'x.parquet'),
      '--id-column',
      'nope',
    );
    expect(noId.stderr).toMatch(/no id column "nope"/);
    const format = await runCliOn(
      t.gyre,
      'predict',
      'housing/1',
      '--input',
      HOUSING_CSV,
      '--output',
      join(t.home, 'x.xlsx'),
    );
    expect(format.stderr).toMatch(/--output must end in/);
    const wrongType = join(t.home, 'typed.csv');
    writeFileSync(wrongType, `${HOUSING_COLUMNS.join(',')}\n1,2,3,4,5,6,7,8,9\n`);
    const typed = await runCliOn(
      t.gyre,
      'predict',
      'housing/1',
      '--input',
      wrongType,
      '--output',
      join(t.home, 'x.parquet'),
    );
    expect(typed.stderr).toMatch(/column "ocean_proximity": expected a string/);
  });
});
