import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSqlSession } from '../data/index.js';
import { ksTest, wassersteinDistance, normedWasserstein, populationStd } from '../ml/index.js';
import { DriftMonitor, PREDICTION_COLUMN } from './drift-monitor.js';
import { predictionLogFiles, predictionLogLayout } from './windows/prediction-log-layout.js';

// Deterministic data written by DuckDB itself: `x` is a smooth function of the row number, so
// both sides of every comparison can be recomputed here in JS.
const dir = mkdtempSync(join(tmpdir(), 'gyre-monitor-'));
const q = (p: string) => `'${p.replaceAll("'", "''")}'`;
const xOf = (i: number, shift = 0) => Math.sin(i * 0.7) * 3 + Math.cos(i * 0.013) + shift;

// The serving branch's layout: `ts`, `feature_` columns, `deployment=<name>/` folders.
const layout = predictionLogLayout({
  deploymentFolder: (d) => `deployment=${d}`,
  timeColumn: 'ts',
  featureColumn: (f) => `feature_${f}`,
  metaColumns: ['row_index', 'deployment', 'model_name', 'role', 'routing_key', 'latency_ms'],
});

async function writeLogHour(hour: string, rows: number, shift: number, extra = ''): Promise<void> {
  const folder = join(
    dir,
    'prediction-logs',
    'deployment=fraud',
    `date=2024-06-01`,
    `hour=${hour}`,
  );
  mkdirSync(folder, { recursive: true });
  await withSqlSession((s) =>
    s.run(
      `copy (select 'r' || i as request_id, timestamp '2024-06-01 ${hour}:00:00' + to_milliseconds(i * 100) as ts,
        'v1' as model_version, 0.5 + 0.001 * i as prediction,
        sin(i * 0.7) * 3 + cos(i * 0.013) + ${shift} as feature_x,
        case when i % 50 = 0 then null else ['red', 'green', 'blue'][i % 3 + 1] end as feature_cat
        ${extra}
        from range(${rows}) t(i)) to ${q(join(folder, 'part-0.parquet'))} (format parquet)`,
    ),
  );
}

beforeAll(async () => {
  await withSqlSession((s) =>
    s.run(
      `copy (select sin(i * 0.7) * 3 + cos(i * 0.013) as x, ['red', 'green', 'blue'][i % 3 + 1] as cat,
        0.5 + 0.001 * i as prediction
        from range(800) t(i)) to ${q(join(dir, 'train.parquet'))} (format parquet)`,
    ),
  );
  await writeLogHour('10', 3000, 0);
  await writeLogHour('11', 3000, 1.5, `, 'purple' as feature_new`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns = [
  { name: 'x', kind: 'numeric' as const },
  { name: 'cat', kind: 'categorical' as const },
];

describe('DriftMonitor over a prediction log', () => {
  const monitor = new DriftMonitor({ artifactRoot: dir, layout });

  it('lists only the hour partitions a time window overlaps', () => {
    const files = predictionLogFiles(dir, 'fraud', layout, {
      start: '2024-06-01T10:30:00Z',
      end: '2024-06-01T12:00:00Z',
    });
    expect(files.map((f) => f.slice(dir.length))).toEqual([
      '/prediction-logs/deployment=fraud/date=2024-06-01/hour=10/*.parquet',
      '/prediction-logs/deployment=fraud/date=2024-06-01/hour=11/*.parquet',
    ]);
  });

  it('finds no drift in an unshifted hour, with an exact KS p-value', async () => {
    const reference = await monitor.referenceFromFiles([join(dir, 'train.parquet')], columns);
    expect(reference.rows).toBe(800);
    const result = await monitor.checkDeployment(reference, 'fraud', {
      kind: 'time',
      start: '2024-06-01T10:00:00Z',
      end: '2024-06-01T11:00:00Z',
    });
    expect(result.rows).toBe(3000);
    const [x, cat] = result.drift.columns;
    expect(x.test).toBe('ks');
    const train = Array.from({ length: 800 }, (_, i) => xOf(i));
    const hour = Array.from({ length: 3000 }, (_, i) => xOf(i));
    const expected = ksTest(train, hour);
    expect(x.statistic).toBe(expected.statistic);
    expect(x.score).toBe(expected.pValue);
    expect(cat.test).toBe('chisquare');
    expect(result.drift.datasetDrift).toBe(false);
    expect(result.quality.schema).toEqual({ missing: [], extra: [], wrongType: [] });
    const catQuality = result.quality.columns[1];
    expect(catQuality.nullRate).toBeCloseTo(60 / 3000, 12);
    expect(catQuality.unseenCategories).toEqual({ values: [], rows: 0, share: 0 });
  });

  it('flags the shifted hour, values past the training range and a new column', async () => {
    const reference = await monitor.referenceFromFiles([join(dir, 'train.parquet')], columns);
    const result = await monitor.checkDeployment(reference, 'fraud', {
      kind: 'count',
      rows: 1000,
    });
    expect(result.rows).toBe(1000);
    expect(result.drift.columns[0]).toMatchObject({ column: 'x', test: 'ks', drifted: true });
    const max = Math.max(...Array.from({ length: 800 }, (_, i) => xOf(i)));
    const latest = Array.from({ length: 1000 }, (_, k) => xOf(2000 + k, 1.5));
    expect(result.quality.columns[0].outOfRange?.above).toBe(latest.filter((v) => v > max).length);
    expect(result.quality.schema.extra).toEqual(['feature_new']);
  });

  it('uses the normed Wasserstein distance for a large reference and drifts the prediction too', async () => {
    const reference = await monitor.referenceFromFiles(
      predictionLogFiles(dir, 'fraud', layout),
      [
        { name: 'feature_x', kind: 'numeric' },
        { name: PREDICTION_COLUMN, kind: 'numeric' },
      ],
      { kind: 'time', start: '2024-06-01T10:00:00Z', end: '2024-06-01T11:00:00Z' },
    );
    expect(reference.rows).toBe(3000);
    const result = await monitor.checkFiles(reference, predictionLogFiles(dir, 'fraud', layout), {
      kind: 'time',
      start: '2024-06-01T11:00:00Z',
      end: '2024-06-01T12:00:00Z',
    });
    const [x, prediction] = result.drift.columns;
    expect(x.test).toBe('wasserstein');
    // Binned on 100 quantile bins of the reference: close to the exact distance.
    const ref = Array.from({ length: 3000 }, (_, i) => xOf(i));
    const cur = Array.from({ length: 3000 }, (_, i) => xOf(i, 1.5));
    const exact = normedWasserstein(wassersteinDistance(ref, cur), populationStd(ref));
    expect(Math.abs(x.score - exact) / exact).toBeLessThan(0.01);
    expect(x.drifted).toBe(true);
    // The same predictions both hours: no drift.
    expect(prediction).toMatchObject({ test: 'wasserstein', drifted: false });
    expect(prediction.score).toBeLessThan(1e-9);
  });

  it('reads a stored dataset profile as the reference', async () => {
    const reference = monitor.referenceFromProfile({
      rowCount: 5000,
      columns: [
        {
          name: 'cat',
          logicalType: 'categorical',
          count: 5000,
          nulls: 0,
          nullFraction: 0,
          approxDistinct: 3,
          distinct: 3,
          topK: [
            { value: 'red', count: 1700, frequency: 0.34 },
            { value: 'green', count: 1650, frequency: 0.33 },
            { value: 'blue', count: 1650, frequency: 0.33 },
          ],
        },
      ],
    });
    const result = await monitor.checkDeployment(reference, 'fraud', { kind: 'all' });
    expect(result.drift.columns[0]).toMatchObject({ test: 'jensenshannon', drifted: false });
    expect(result.quality.schema.extra).toEqual(['feature_x', 'feature_new']);
  });
});
