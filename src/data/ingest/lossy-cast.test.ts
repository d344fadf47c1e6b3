import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { createDataFixture, HOUSING_CSV, type DataFixture } from '../test-data.js';

describeEachDatabase('a type override that would lose data fails the ingest', (ctx) => {
  let f: DataFixture;
  beforeEach(() => {
    f = createDataFixture(ctx.db);
  });
  afterEach(() => f.cleanup());

  async function refused(source: string, types: Record<string, string>, details: object) {
    const attempt = f.service.ingest({ source, name: 'typed', types });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details });
    expect(await f.service.listDatasets()).toEqual([]);
    expect(await f.artifacts.list('', { recursive: true })).toEqual([]);
    return attempt.catch((error: Error) => error.message);
  }

  it('refuses rounding a fractional number to an integer, naming column, line and value', async () => {
    const message = await refused(
      HOUSING_CSV,
      { median_income: 'integer' },
      { column: 'median_income', line: 2, value: '8.3252' },
    );
    expect(message).toBe(
      `${HOUSING_CSV} line 2: median_income value "8.3252" is not an integer (type override median_income=integer)`,
    );
  });

  it('names the file line even after quoted newlines and blank lines', async () => {
    const csv = f.write('notes.csv', 'id,note,n\n1,"two\nlines",5\n\n2,x,7.5\n3,y,8\n');
    const message = await refused(csv, { n: 'integer' }, { column: 'n', line: 5, value: '7.5' });
    expect(message).toMatch(/notes\.csv line 5: n value "7\.5" is not an integer/);
  });

  it.each([
    ['text to integer', 'n\n1\n8.5\n', 'integer', 3, '8.5'],
    ['text to number', 'n\n1.5\nabc\n', 'numeric', 3, 'abc'],
    ['a number to boolean', 'b\n0\n1\n2\n', 'boolean', 4, '2'],
    ['text to boolean', 'b\ntrue\nmaybe\n', 'boolean', 3, 'maybe'],
    ['a bad date', 'at\n2024-01-31\n2024-13-01\n', 'datetime', 3, '2024-13-01'],
    ['a number to datetime', 'at\n20240131\n', 'datetime', 2, '20240131'],
  ])('refuses %s', async (_, content, type, line, value) => {
    const column = content.split('\n')[0];
    await refused(f.write('x.csv', content), { [column]: type }, { column, line, value });
  });

  it('names the row index in a Parquet file', async () => {
    await f.service.ingest({ source: f.write('v.csv', 'v\n1.0\n2.0\n2.5\n'), name: 'v' });
    const parquet = join(f.dir, 'v.parquet');
    await f.service.exportVersion('v', parquet, 'parquet');
    await f.service.ingest({ source: parquet, name: 'typed', types: { v: 'integer' } }).then(
      () => expect.fail('the cast of 2.5 to an integer was accepted'),
      (error: Error & { details: object }) => {
        expect(error.message).toMatch(/v\.parquet row index 2: v value "2\.5" is not an integer/);
        expect(error.details).toMatchObject({ column: 'v', row: 2, value: '2.5' });
        expect(error.details).not.toHaveProperty('line');
      },
    );
  });

  it('accepts casts that keep every value', async () => {
    const { version } = await f.service.ingest({
      source: HOUSING_CSV,
      name: 'housing',
      types: { households: 'integer', median_income: 'numeric', ocean_proximity: 'text' },
    });
    expect(version.schema.find((c) => c.name === 'households')).toMatchObject({
      logicalType: 'integer',
      physicalType: 'BIGINT',
    });
    const csv = f.write('ok.csv', 'i,b,at\n1.0,true,2024-01-31\n 2 ,no,2024-02-01 10:00:00\n');
    const ok = await f.service.ingest({
      source: csv,
      name: 'ok',
      types: { i: 'integer', b: 'boolean', at: 'datetime' },
    });
    expect(ok.version.rowCount).toBe(2);
  });
});
