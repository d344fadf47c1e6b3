import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSqlSession, sqlString } from './duck-session.js';
import { nextDown, summarizeParquetWindow } from './parquet-window-summary.js';

// Two hourly files as the prediction log writes them; the second adds a column and a category.
const dir = mkdtempSync(join(tmpdir(), 'gyre-window-'));
const hour1 = join(dir, 'date=2024-05-01', 'hour=10');
const hour2 = join(dir, 'date=2024-05-01', 'hour=11');

// x = i / 10 for i in 0..99 in hour 10 (with nulls at i % 10 = 9); 100..149 in hour 11.
beforeAll(async () => {
  await withSqlSession(async (s) => {
    for (const d of [hour1, hour2]) mkdirSync(d, { recursive: true });
    await s.run(
      `copy (select case when i % 10 = 9 then null else i / 10 end as x, ['a','b','c'][i % 3 + 1] as cat, timestamp '2024-05-01 10:00:00' + to_seconds(i) as "timestamp" from range(100) t(i)) to ${sqlString(join(hour1, 'part-0.parquet'))} (format parquet)`,
    );
    await s.run(
      `copy (select i / 10 as x, case when i % 2 = 0 then 'd' else 'a' end as cat, i::VARCHAR as extra, timestamp '2024-05-01 11:00:00' + to_seconds(i - 100) as "timestamp" from range(100, 150) t(i)) to ${sqlString(join(hour2, 'part-0.parquet'))} (format parquet)`,
    );
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const glob = () => join(dir, 'date=*', 'hour=*', '*.parquet');
const xs = [
  ...Array.from({ length: 100 }, (_, i) => (i % 10 === 9 ? null : i / 10)),
  ...Array.from({ length: 50 }, (_, i) => (100 + i) / 10),
];
const present = xs.filter((v): v is number => v !== null);

describe('summarizeParquetWindow', () => {
  it('counts rows, nulls, bins and points in one query over a glob', async () => {
    const edges = [2, 5, 8.5];
    const points = [0, 4.5, 4.6, 14.9];
    const summary = await withSqlSession((s) =>
      summarizeParquetWindow(s, { files: [glob()] }, [
        {
          name: 'x',
          kind: 'numeric',
          edges,
          points,
          moments: true,
          quantiles: [0, 1],
          distinct: true,
        },
        { name: 'cat', kind: 'categorical' },
        { name: 'extra', kind: 'numeric', edges: [100, 149] },
        { name: 'gone', kind: 'categorical' },
      ]),
    );
    expect(summary.rows).toBe(150);
    expect(summary.missing).toEqual(['gone']);
    expect(summary.schema.map((c) => c.name).sort()).toEqual(['cat', 'extra', 'timestamp', 'x']);
    const [x, cat, extra] = summary.columns;
    expect(x).toMatchObject({ count: 140, nulls: 10, unreadable: 0, min: 0, max: 14.9 });
    const mean = present.reduce((a, b) => a + b, 0) / present.length;
    expect(x.mean).toBeCloseTo(mean, 12);
    expect(x.quantiles).toEqual([0, 14.9]);
    expect(x.distinct).toBe(140);
    const between = (lo: number, hi: number) => present.filter((v) => v > lo && v <= hi).length;
    expect(x.histogram).toEqual({
      counts: [present.filter((v) => v >= 2 && v <= 5).length, between(5, 8.5)],
      below: present.filter((v) => v < 2).length,
      above: present.filter((v) => v > 8.5).length,
    });
    expect(x.atPoints).toEqual({
      atOrBelow: points.map((p) => present.filter((v) => v <= p).length),
      below: points.map((p) => present.filter((v) => v < p).length),
    });
    expect(cat.categories).toEqual([
      { value: 'a', count: 34 + 25 },
      { value: 'b', count: 33 },
      { value: 'c', count: 33 },
      { value: 'd', count: 25 },
    ]);
    // A text column read as numeric: nulls where the older file lacks it, all values readable.
    expect(extra).toMatchObject({ count: 50, nulls: 100, unreadable: 0 });
    expect(extra.histogram).toEqual({ counts: [50], below: 0, above: 0 });
  });

  it('windows by time and by the latest rows, and returns sorted values on request', async () => {
    const byTime = await withSqlSession((s) =>
      summarizeParquetWindow(
        s,
        {
          files: [glob()],
          time: {
            column: 'timestamp',
            start: '2024-05-01T10:01:00Z',
            end: Date.parse('2024-05-01T11:00:10Z'),
          },
        },
        [{ name: 'x', kind: 'numeric', values: true }],
      ),
    );
    // Seconds 60..99 of hour 10 (4 nulls among them) and 0..9 of hour 11.
    expect(byTime.rows).toBe(50);
    expect(byTime.columns[0].values).toEqual(
      [...xs.slice(60, 100), ...xs.slice(100, 110)]
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b),
    );
    const last = await withSqlSession((s) =>
      summarizeParquetWindow(s, { files: [glob()], last: { rows: 5, orderBy: 'timestamp' } }, [
        { name: 'x', kind: 'numeric', values: true },
      ]),
    );
    expect(last.columns[0].values).toEqual([14.5, 14.6, 14.7, 14.8, 14.9]);
  });

  it('answers an empty window when no file matches yet', async () => {
    const summary = await withSqlSession((s) =>
      summarizeParquetWindow(s, { files: [join(dir, 'nothing', '*.parquet')] }, [
        { name: 'x', kind: 'numeric' },
      ]),
    );
    expect(summary).toEqual({ rows: 0, schema: [], missing: ['x'], columns: [] });
  });

  it('steps to the previous double', () => {
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextDown(-1)).toBe(-1 - Number.EPSILON);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
  });
});
