import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { ValidationFailedError } from '../ingest/register-table.js';
import { createDataFixture, HOUSING_CSV, type DataFixture } from '../test-data.js';
import { parseSuite } from './suite.js';

const HOUSING_SUITE = `
name: housing
expectations:
  - expect: exists
    column: ocean_proximity
  - expect: type
    column: median_income
    type: numeric
  - expect: not_null
    column: total_bedrooms
    severity: warn
  - expect: max_null_fraction
    column: total_bedrooms
    max: 0.02
  - expect: range
    column: latitude
    min: 32
    max: 42
  - expect: allowed_values
    column: ocean_proximity
    values: ["<1H OCEAN", INLAND, "NEAR OCEAN", "NEAR BAY", ISLAND]
  - expect: regex
    column: ocean_proximity
    pattern: "^[A-Z<1 ]+$"
  - expect: unique
    column: longitude
    severity: warn
  - expect: row_count
    min: 20000
  - expect: mean
    column: median_income
    min: 3
    max: 5
  - expect: sql
    predicate: total_bedrooms is null or total_bedrooms <= total_rooms
    max_failing_fraction: 0
`;

describe('suite YAML', () => {
  it('names the line and key of an unknown expectation', () => {
    const text =
      'expectations:\n  - expect: exists\n    column: a\n  - expect: between\n    column: b\n';
    expect(() => parseSuite(text, 'suites/x.yaml')).toThrow(
      'suites/x.yaml line 4: expectations[1].expect: unknown expectation "between" (known: exists, type, not_null, max_null_fraction, range, allowed_values, regex, unique, row_count, mean, sql)',
    );
  });

  it('names unknown keys, bad values and broken YAML', () => {
    expect(() =>
      parseSuite('expectations:\n  - expect: range\n    column: a\n    minimum: 3\n', 's.yaml'),
    ).toThrow('s.yaml line 4: expectations[0].minimum: unknown key "minimum"');
    expect(() =>
      parseSuite('expectations:\n  - expect: type\n    column: a\n    type: float\n', 's.yaml'),
    ).toThrow(/^s\.yaml line 4: expectations\[0\]\.type: /);
    expect(() => parseSuite('expectations:\n  - expect: range\n    column: a\n', 's.yaml')).toThrow(
      's.yaml line 2: expectations[0]: range needs min, max or both',
    );
    expect(() => parseSuite('expectations: [\n', 's.yaml')).toThrow(/^s\.yaml line \d+: /);
    expect(() => parseSuite('colour: red\n', 's.yaml')).toThrow(
      's.yaml line 1: colour: unknown key "colour"',
    );
  });
});

describeEachDatabase('validation', (ctx) => {
  let f: DataFixture;
  beforeEach(() => {
    f = createDataFixture(ctx.db);
  });
  afterEach(() => f.cleanup());

  it('runs every kind of expectation on California housing and stores the report', async () => {
    await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    const report = await f.service.validate('housing@1', parseSuite(HOUSING_SUITE), 'housing.yaml');
    const byKind = Object.fromEntries(report.results.map((r) => [r.expectation, r]));
    expect(byKind.not_null).toMatchObject({ passed: false, severity: 'warn', observed: 207 });
    expect(byKind.not_null.failingSample).toHaveLength(5);
    expect(byKind.not_null.failingSample![0]).toMatchObject({ total_bedrooms: null });
    expect(byKind.max_null_fraction).toMatchObject({ passed: true, observed: 207 / 20640 });
    expect(byKind.range).toMatchObject({ passed: true, observed: { outOfRange: 0 } });
    expect(byKind.allowed_values.passed).toBe(true);
    expect(byKind.regex.passed).toBe(true);
    expect(byKind.unique).toMatchObject({ passed: false, severity: 'warn' });
    expect(byKind.row_count).toMatchObject({ passed: true, observed: 20640 });
    expect(byKind.mean.passed).toBe(true);
    expect(byKind.sql).toMatchObject({ passed: true, observed: { failingRows: 0 } });
    expect(report).toMatchObject({
      passed: true,
      errors: 0,
      warnings: 2,
      version: 1,
      suiteName: 'housing.yaml',
    });
    expect(await f.service.listReports('housing@1')).toEqual([report]);
    expect(await f.service.getReport(report.id)).toEqual(report);
  });

  it('fails on an error-severity expectation, with the failing rows sampled', async () => {
    await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    const suite = parseSuite(`
expectations:
  - expect: range
    column: median_house_value
    max: 500000
  - expect: sql
    predicate: housing_median_age < 50
    max_failing_fraction: 0.01
`);
    const report = await f.service.validate('housing', suite);
    expect(report.passed).toBe(false);
    expect(report.errors).toBe(2);
    expect(report.results[0].observed).toMatchObject({ outOfRange: 965 });
    expect(
      report.results[0].failingSample!.every((r) => Number(r.median_house_value) > 500000),
    ).toBe(true);
    expect(report.results[1].observed).toMatchObject({ failingRows: 1457 });
  });

  it("keeps a suite's SQL away from the server's files", async () => {
    await f.service.ingest({ source: f.write('a.csv', 'a\n1\n'), name: 'a' });
    const suite = parseSuite(`
expectations:
  - expect: sql
    predicate: (select count(*) from read_csv('/etc/passwd')) > 0
`);
    await expect(f.service.validate('a', suite)).rejects.toThrow(
      /expectations\[0\] \(sql\): .*(disabled|Permission)/,
    );
  });

  it('compares with the previous version: removed columns fail, shifts warn', async () => {
    const lines = readFileSync(HOUSING_CSV, 'utf8').trim().split('\n');
    await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    // Version 2: only inland districts, without the longitude column.
    const inland = lines.filter((l, i) => i === 0 || l.endsWith(',INLAND'));
    const cut = inland.map((l) => l.split(',').slice(1).join(',')).join('\n') + '\n';
    await f.service.ingest({ source: f.write('inland.csv', cut), name: 'housing' });
    const report = await f.service.validate('housing@2', parseSuite('expectations: []\n'));
    expect(report.passed).toBe(false);
    const removed = report.results.find((r) => r.expectation === 'schema.removed_column');
    expect(removed).toMatchObject({ column: 'longitude', severity: 'error', passed: false });
    const ocean = report.results.find(
      (r) => r.expectation === 'distribution.shift' && r.column === 'ocean_proximity',
    );
    expect(ocean).toMatchObject({ severity: 'warn', passed: false });
    const off = await f.service.validate('housing@2', parseSuite('compare_previous: false\n'));
    expect(off).toMatchObject({ passed: true, results: [] });
  });

  it('refuses to register content that fails its suite', async () => {
    const suite = parseSuite('expectations:\n  - expect: not_null\n    column: total_bedrooms\n');
    const attempt = f.service.ingest({ source: HOUSING_CSV, name: 'housing', suite: { suite } });
    await expect(attempt).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(attempt).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message:
        'housing: validation failed with 1 error(s): column total_bedrooms has 207 nulls; nothing was registered',
    });
    expect(await f.service.listDatasets()).toEqual([]);
    expect(await f.artifacts.list('', { recursive: true })).toEqual([]);
  });
});
