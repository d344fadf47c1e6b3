import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { withSqlSession, sqlString } from '../duckdb/index.js';
import { createDataFixture, HOUSING_CSV, type DataFixture } from '../test-data.js';
import { TransformService } from './transform-service.js';

describeEachDatabase('transforms and splits', (ctx) => {
  let f: DataFixture;
  let transforms: TransformService;
  beforeEach(async () => {
    f = createDataFixture(ctx.db);
    transforms = new TransformService(f.service);
    await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
  });
  afterEach(() => f.cleanup());

  async function rowsOf(ref: string): Promise<Record<string, unknown>[]> {
    const version = await f.service.getVersion(ref);
    const local = await f.service.localCopy(version);
    try {
      return await withSqlSession((s) =>
        s.all(`select * from read_parquet(${sqlString(local.path)})`),
      );
    } finally {
      await local.cleanup();
    }
  }

  it('runs SQL over versions into a new version that records its inputs', async () => {
    await f.service.ingest({
      source: f.write('names.csv', 'code,label\nINLAND,Inland\nISLAND,Island\n'),
      name: 'labels',
    });
    const { version, created } = await transforms.runSql({
      name: 'by_ocean',
      sql: 'select l.label, count(*) as n, avg(h.median_house_value) as value from h join l on h.ocean_proximity = l.code group by 1 order by 1',
      inputs: { h: 'housing@1', l: 'labels' },
      createdBy: 'ada',
    });
    expect(created).toBe(true);
    expect(version).toMatchObject({
      datasetName: 'by_ocean',
      version: 1,
      rowCount: 2,
      source: 'transform:sql',
      format: 'parquet',
    });
    expect(await rowsOf('by_ocean@1')).toEqual([
      { label: 'Inland', n: 6551, value: expect.closeTo(124805.39, 1) },
      { label: 'Island', n: 5, value: 380440 },
    ]);
    const transform = await f.service.store.getTransform(version.transformId!);
    expect(transform).toMatchObject({
      kind: 'sql',
      spec: { inputs: { h: 'housing@1', l: 'labels@1' } },
      inputs: [
        { alias: 'h', versionId: (await f.service.getVersion('housing@1')).id },
        { alias: 'l', versionId: (await f.service.getVersion('labels@1')).id },
      ],
    });
  });

  it('keeps transform SQL inside its inputs and names SQL errors', async () => {
    await expect(
      transforms.runSql({
        name: 'x',
        sql: "select * from read_csv('/etc/passwd')",
        inputs: { h: 'housing' },
      }),
    ).rejects.toThrow(/^sql: .*(disabled|Permission)/);
    await expect(
      transforms.runSql({ name: 'x', sql: 'select nope from h', inputs: { h: 'housing' } }),
    ).rejects.toThrow(/^sql: .*nope/);
    await expect(
      transforms.runSql({ name: 'x', sql: 'select 1', inputs: { 'bad alias': 'housing' } }),
    ).rejects.toThrow(/input alias "bad alias"/);
    await expect(
      transforms.runSql({ name: 'x', sql: 'select 1', inputs: { h: 'missing' } }),
    ).rejects.toThrow('dataset missing does not exist');
    expect((await f.service.listDatasets()).map((d) => d.name)).toEqual(['housing']);
  });

  it('splits by seed reproducibly, covering every row once', async () => {
    const first = await transforms.split({ source: 'housing@1', by: 'random', seed: 7 });
    const counts = [first.train, first.validation, first.test].map((r) => r.version.rowCount);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20640);
    expect(counts[0] / 20640).toBeCloseTo(0.8, 1);
    expect(first.train.version.datasetName).toBe('housing-train');
    const again = await transforms.split({ source: 'housing@1', by: 'random', seed: 7 });
    expect(again.train.created).toBe(false);
    expect(again.train.version.id).toBe(first.train.version.id);
    const other = await transforms.split({ source: 'housing@1', by: 'random', seed: 8 });
    expect(other.train.version.digest).not.toBe(first.train.version.digest);
  });

  it('splits by key hash so a key never lands in two parts, and by time in order', async () => {
    const byKey = await transforms.split({
      source: 'housing',
      by: 'hash',
      column: 'ocean_proximity',
      prefix: 'keyed',
      fractions: { train: 0.5, validation: 0.25, test: 0.25 },
    });
    const parts = await Promise.all(
      ['keyed-train', 'keyed-validation', 'keyed-test'].map(
        async (n) => new Set((await rowsOf(n)).map((r) => r.ocean_proximity)),
      ),
    );
    const all = parts.flatMap((p) => [...p]);
    expect(new Set(all).size).toBe(all.length);
    expect(
      byKey.train.version.rowCount +
        byKey.validation.version.rowCount +
        byKey.test.version.rowCount,
    ).toBe(20640);

    const events = f.write(
      'events.csv',
      'at,v\n' +
        Array.from(
          { length: 100 },
          (_, i) =>
            `2024-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${i}`,
        ).join('\n') +
        '\n',
    );
    await f.service.ingest({ source: events, name: 'events' });
    const byTime = await transforms.split({ source: 'events', by: 'time', column: 'at' });
    expect(byTime.train.version.rowCount).toBe(80);
    const trainMax = Math.max(...(await rowsOf('events-train')).map((r) => Number(r.v)));
    const testMin = Math.min(...(await rowsOf('events-test')).map((r) => Number(r.v)));
    expect(trainMax).toBeLessThan(testMin);
    await expect(
      transforms.split({ source: 'events', by: 'time', column: 'nope' }),
    ).rejects.toThrow(/needs column to name one of: at, v/);
    await expect(
      transforms.split({
        source: 'events',
        by: 'random',
        fractions: { train: 0.9, validation: 0.2, test: 0 },
      }),
    ).rejects.toThrow(/sum to 1/);
  });
});
