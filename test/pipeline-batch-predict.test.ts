// The `ml/batch-predict` built-in step on SQLite and PostgreSQL: a dataset version of
// California housing scored in chunks by a registered GBDT becomes a new version of the output
// dataset holding the model's own predictions beside the id column, with lineage to the input
// version and the model version; a bad model or dataset fails the step naming the input and
// registers nothing.
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Gyre } from '../src/gyre.js';
import {
  HOUSING_COLUMNS,
  housingRows,
  registerModel,
  trainHousingGbdt,
} from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';

const ROWS = 2500;
const model = trainHousingGbdt({ rounds: 5 });
const { rows } = housingRows();
const expected = model.predictColumns(
  HOUSING_COLUMNS.map((_, c) => rows.slice(0, ROWS).map((r) => r[c])),
);

const pipeline = {
  name: 'score',
  params: {
    model: { type: 'string', default: 'housing@champion' },
    dataset: { type: 'string', default: 'houses' },
    format: { type: 'string', default: 'parquet' },
  },
  steps: {
    predict: {
      uses: 'ml/batch-predict',
      with: {
        model: '${{ params.model }}',
        dataset: '${{ params.dataset }}',
        id_column: 'house',
        output_dataset: 'house-prices',
        format: '${{ params.format }}',
        chunk_rows: 1000,
      },
    },
  },
};

/** Housing rows with a string id column `house`, as CSV, ingested as dataset `houses`. */
async function ingestHouses(gyre: Gyre, home: string): Promise<void> {
  const csv = join(home, 'houses.csv');
  const lines = rows
    .slice(0, ROWS)
    .map((r, i) => [`h${i}`, ...r.map((v) => (v === null ? '' : String(v)))].join(','));
  writeFileSync(csv, [['house', ...HOUSING_COLUMNS].join(','), ...lines].join('\n'));
  await gyre.data.datasets.ingest({ source: csv, name: 'houses' });
}

async function readVersion(gyre: Gyre, ref: string): Promise<Record<string, unknown>[]> {
  const version = await gyre.data.datasets.getVersion(ref);
  const local = await gyre.data.datasets.localCopy(version);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const read = await connection.runAndReadAll(
      `select * from read_parquet('${local.path}', file_row_number = true) order by file_row_number`,
    );
    return read.getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
    await local.cleanup();
  }
}

describeEachGyre('ml/batch-predict step', (ctx) => {
  const run = async (params: Record<string, unknown> = {}) => {
    const started = await ctx.gyre.pipelines.startRun({ pipeline: 'score', params });
    const done = await started.done;
    const step = (await ctx.gyre.pipelines.getRun(done.id)).steps.find(
      (s) => s.step === 'predict',
    )!;
    return { run: done, step };
  };

  const setUp = async () => {
    const { gyre, home } = ctx;
    await registerModel(gyre, 'housing', model);
    await gyre.registry.setAlias('housing', 'champion', 1);
    await ingestHouses(gyre, home);
    await gyre.pipelines.register({ spec: pipeline });
  };

  it("writes the model's own predictions, joined to the id column, as a new version with lineage", async () => {
    const { gyre } = ctx;
    await setUp();
    const { run: done, step } = await run();
    expect(step.error ?? null).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(step.outputs).toMatchObject({
      dataset: { type: 'dataset', value: 'house-prices@1' },
      version: { value: 1 },
      rows: { value: ROWS },
      model: { value: 'housing/1' },
    });

    const version = await gyre.data.datasets.getVersion('house-prices@1');
    expect(version.schema.map((c) => c.name)).toEqual(['house', 'prediction']);
    expect(version.rowCount).toBe(ROWS);
    const table = await readVersion(gyre, 'house-prices@1');
    expect(table).toHaveLength(ROWS);
    table.forEach((row, i) => {
      expect(row.house).toBe(`h${i}`);
      expect(row.prediction as number).toBeCloseTo(expected[i], 9);
    });

    const up = await gyre.data.lineage.graph('dataset', 'house-prices@1', 'up');
    const transform = up.nodes.find((n) => n.kind === 'transform')!;
    expect(transform.data).toMatchObject({
      kind: 'predict',
      spec: { model: 'housing/1', modelUri: 'models:/housing@champion', dataset: 'houses@1' },
    });
    expect(up.edges).toEqual(
      expect.arrayContaining([
        { from: 'dataset:houses@1', to: transform.id },
        { from: 'model_version:housing@1', to: transform.id },
        { from: transform.id, to: 'dataset:house-prices@1' },
      ]),
    );
    const down = await gyre.data.lineage.graph('model_version', 'housing@1', 'down');
    expect(down.nodes.map((n) => n.id)).toContain('dataset:house-prices@1');

    // Another format is another file: a new version, the same predictions, recorded as CSV.
    const csv = await run({ format: 'csv' });
    expect(csv.step.outputs).toMatchObject({ dataset: { value: 'house-prices@2' } });
    const second = await gyre.data.datasets.getVersion('house-prices@2');
    expect(second.format).toBe('csv');
    const again = await readVersion(gyre, 'house-prices@2');
    expect(again[ROWS - 1].house).toBe(`h${ROWS - 1}`);
    expect(again[ROWS - 1].prediction as number).toBeCloseTo(expected[ROWS - 1], 6);
  });

  it('fails naming the input when the model or the dataset is wrong, and registers nothing', async () => {
    const { gyre } = ctx;
    await setUp();
    const noModel = await run({ model: 'housing/9' });
    expect(noModel.run.status).toBe('failed');
    expect(noModel.step.error).toMatch(/^model: .*housing.*9/);
    const badModel = await run({ model: 'http://example.com/m' });
    expect(badModel.step.error).toMatch(/^model: .*not a model reference/);
    const noDataset = await run({ dataset: 'houses@7' });
    expect(noDataset.step.error).toMatch(/^dataset: dataset houses@7 does not exist/);
    const badFormat = await run({ format: 'xlsx' });
    expect(badFormat.run.status).toBe('failed');
    expect(badFormat.step.error).toBe('format: must be one of parquet, csv, ndjson, got xlsx');
    await expect(gyre.data.datasets.getDataset('house-prices')).rejects.toThrow(/does not exist/);
  });
});
