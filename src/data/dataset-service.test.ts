import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import { openArtifactStore } from '../artifacts/index.js';
import { describeEachDatabase } from '../db/test-database.js';
import { KyselyEventStore } from '../events/index.js';
import { createDataFixture, HOUSING_CSV, s3rverOptions, type DataFixture } from './test-data.js';

describeEachDatabase('dataset ingest', (ctx) => {
  let f: DataFixture;
  beforeEach(() => {
    f = createDataFixture(ctx.db);
  });
  afterEach(() => f.cleanup());

  it('ingests California housing with schema, profile and a Parquet copy', async () => {
    const { version, created } = await f.service.ingest({
      source: HOUSING_CSV,
      name: 'housing',
      createdBy: 'ada',
      tags: { origin: 'shared' },
    });
    expect(created).toBe(true);
    expect(version).toMatchObject({
      datasetName: 'housing',
      version: 1,
      rowCount: 20640,
      format: 'csv',
      createdBy: 'ada',
      tags: { origin: 'shared' },
    });
    expect(version.digest).toMatch(/^[0-9a-f]{64}$/);
    const types = Object.fromEntries(version.schema.map((c) => [c.name, c.logicalType]));
    expect(types).toMatchObject({
      longitude: 'numeric',
      total_bedrooms: 'numeric',
      ocean_proximity: 'categorical',
    });
    expect(await f.artifacts.stat(version.artifactPath)).toMatchObject({ size: version.bytes });

    const profile = await f.service.getProfile('housing@1');
    const bedrooms = profile.columns.find((c) => c.name === 'total_bedrooms')!;
    expect(bedrooms.nulls).toBe(207);
    expect(bedrooms.count).toBe(20640 - 207);
    expect(Object.keys(bedrooms.quantiles!)).toEqual([
      '0.01',
      '0.05',
      '0.25',
      '0.5',
      '0.75',
      '0.95',
      '0.99',
    ]);
    expect(bedrooms.histogram!.edges).toHaveLength(21);
    expect(bedrooms.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(20640 - 207);
    expect(bedrooms.histogram!.edges[0]).toBe(bedrooms.min);
    expect(bedrooms.histogram!.edges[20]).toBe(bedrooms.max);
    // Every row lands in a bin, whatever digits the edges have (median_income's once lost one).
    for (const column of profile.columns.filter((c) => c.histogram)) {
      const binned = column.histogram!.counts.reduce((a, b) => a + b, 0);
      expect({ column: column.name, binned }).toEqual({
        column: column.name,
        binned: column.count,
      });
    }
    const self = await f.service.diff('housing@1', 'housing@1');
    expect(self.columns.filter((c) => (c.psi ?? 0) > 1e-9).map((c) => c.name)).toEqual([]);
    const ocean = profile.columns.find((c) => c.name === 'ocean_proximity')!;
    expect(ocean.topK![0]).toEqual({ value: '<1H OCEAN', count: 9136, frequency: 9136 / 20640 });
    expect(ocean.topK!.map((k) => k.value)).toHaveLength(5);
  });

  it('returns the existing version for identical content and emits one event per version', async () => {
    const first = await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    const again = await f.service.ingest({ source: HOUSING_CSV, name: 'housing' });
    expect(again.created).toBe(false);
    expect(again.version.id).toBe(first.version.id);
    const lines = readFileSync(HOUSING_CSV, 'utf8').split('\n');
    const smaller = f.write('housing-small.csv', lines.slice(0, 1001).join('\n') + '\n');
    const second = await f.service.ingest({ source: smaller, name: 'housing' });
    expect(second.version.version).toBe(2);
    expect(second.version.rowCount).toBe(1000);

    const events = await new KyselyEventStore(ctx.db).list({ type: 'dataset.version.created' });
    expect(events.map((e) => e.subject)).toEqual(['dataset:housing@1', 'dataset:housing@2']);
    expect(events[1].payload).toMatchObject({ versionId: second.version.id, rowCount: 1000 });
    const after = await new KyselyEventStore(ctx.db).list({ afterId: events[0].id });
    expect(after.map((e) => e.id)).toEqual([events[1].id]);
    expect((await f.service.listVersions('housing')).map((v) => v.version)).toEqual([1, 2]);
    expect(await f.service.listDatasets()).toMatchObject([{ name: 'housing', latestVersion: 2 }]);
  });

  it('reads TSV, JSON and NDJSON, and honours type overrides', async () => {
    const tsv = f.write('a.tsv', 'zip\tcity\tok\n02139\tCambridge\ttrue\n10001\tNew York\tfalse\n');
    const { version } = await f.service.ingest({
      source: tsv,
      name: 'cities',
      types: { zip: 'categorical' },
    });
    expect(version.schema).toEqual([
      { name: 'zip', logicalType: 'categorical', physicalType: 'VARCHAR', overridden: true },
      { name: 'city', logicalType: 'text', physicalType: 'VARCHAR' },
      { name: 'ok', logicalType: 'boolean', physicalType: 'BOOLEAN' },
    ]);
    const json = f.write('a.json', '[{"x": 1.5, "t": "2024-01-02T03:04:05"}, {"x": 2, "t": null}]');
    const j = await f.service.ingest({ source: json, name: 'j', types: { t: 'datetime' } });
    expect(j.version.schema.map((c) => c.logicalType)).toEqual(['numeric', 'datetime']);
    const nd = f.write('a.ndjson', '{"n": 1}\n{"n": 2}\n');
    const n = await f.service.ingest({ source: nd, name: 'nd' });
    expect(n.version).toMatchObject({ format: 'ndjson', rowCount: 2 });
  });

  it('exports a version back to CSV and Parquet', async () => {
    const csv = f.write('s.csv', 'a,b\n1,x\n2,"y, z"\n');
    await f.service.ingest({ source: csv, name: 's' });
    const out = `${f.dir}/out.csv`;
    await f.service.exportVersion('s@1', out, 'csv');
    expect(readFileSync(out, 'utf8')).toBe('a,b\n1,x\n2,"y, z"\n');
    await f.service.exportVersion('s', `${f.dir}/out.parquet`, 'parquet');
    expect(readFileSync(`${f.dir}/out.parquet`).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('diffs schema and distribution between versions', async () => {
    const v1 = f.write(
      'v1.csv',
      'a,b,c\n' + Array.from({ length: 200 }, (_, i) => `${i},${i % 3},x`).join('\n') + '\n',
    );
    const v2 = f.write(
      'v2.csv',
      'a,b,d\n' + Array.from({ length: 200 }, (_, i) => `${i + 150},${i % 3},1`).join('\n') + '\n',
    );
    await f.service.ingest({ source: v1, name: 'd' });
    await f.service.ingest({ source: v2, name: 'd' });
    const diff = await f.service.diff('d@1', 'd@2');
    expect(diff.schema.added).toEqual([{ name: 'd', logicalType: 'integer' }]);
    expect(diff.schema.removed).toEqual([{ name: 'c', logicalType: 'categorical' }]);
    const a = diff.columns.find((c) => c.name === 'a')!;
    expect(a.mean).toEqual({ from: 99.5, to: 249.5 });
    expect(a.psi).toBeGreaterThan(1);
    expect(diff.columns.find((c) => c.name === 'b')!.psi).toBeLessThan(0.01);
  });

  it('numbers concurrent versions without gaps and registers identical content once', async () => {
    const a = f.write('a.csv', 'x\n1\n');
    const b = f.write('b.csv', 'x\n2\n');
    const both = await Promise.all([
      f.service.ingest({ source: a, name: 'c' }),
      f.service.ingest({ source: b, name: 'c' }),
    ]);
    expect(both.map((r) => r.version.version).sort()).toEqual([1, 2]);
    const c = f.write('c.csv', 'x\n3\n');
    const same = await Promise.all([
      f.service.ingest({ source: c, name: 'c' }),
      f.service.ingest({ source: c, name: 'c' }),
      f.service.ingest({ source: c, name: 'c' }),
    ]);
    expect(new Set(same.map((r) => r.version.id)).size).toBe(1);
    expect(same.filter((r) => r.created)).toHaveLength(1);
    const events = await new KyselyEventStore(ctx.db).list();
    expect(events.map((e) => e.subject).sort()).toEqual([
      'dataset:c@1',
      'dataset:c@2',
      'dataset:c@3',
    ]);
  });

  it('reads sources from the artifact store and from S3', async () => {
    await f.artifacts.putFile('uploads/housing.csv', HOUSING_CSV);
    const fromStore = await f.service.ingest({
      source: 'artifacts:uploads/housing.csv',
      name: 'a',
    });
    expect(fromStore.version).toMatchObject({
      rowCount: 20640,
      source: 'artifacts:uploads/housing.csv',
    });
    const prefix = `src-${randomBytes(4).toString('hex')}`;
    const s3 = openArtifactStore(`s3://${inject('s3Bucket')}/${prefix}`, { s3: s3rverOptions() });
    await s3.putFile('housing.csv', HOUSING_CSV);
    const uri = `s3://${inject('s3Bucket')}/${prefix}/housing.csv`;
    const fromS3 = await f.service.ingest({ source: uri, name: 's' });
    expect(fromS3.version).toMatchObject({
      rowCount: 20640,
      source: uri,
      digest: fromStore.version.digest,
    });
    await s3.delete('housing.csv');
    await expect(f.service.ingest({ source: `${uri}.missing`, name: 's' })).rejects.toThrow(
      `source ${uri}.missing does not exist`,
    );
    await expect(
      f.service.ingest({ source: 'http://example.com/x.csv', name: 's' }),
    ).rejects.toThrow(/use a local path, file:\/\/, s3:\/\/ or artifacts: URI/);
  });

  it('names versions that do not exist', async () => {
    await expect(f.service.getVersion('nope@1')).rejects.toThrow('dataset nope does not exist');
    await f.service.ingest({ source: f.write('x.csv', 'a\n1\n'), name: 'x' });
    await expect(f.service.getVersion('x@7')).rejects.toThrow('dataset x@7 does not exist');
    await expect(f.service.getVersion('x@0')).rejects.toThrow(/positive integer/);
  });
});
