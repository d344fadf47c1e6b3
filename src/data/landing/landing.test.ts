import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import { openArtifactStore, readArtifact } from '../../artifacts/index.js';
import { describeEachDatabase } from '../../db/test-database.js';
import { KyselyEventStore } from '../../events/index.js';
import { createDataFixture, HOUSING_CSV, s3rverOptions, type DataFixture } from '../test-data.js';
import { KyselyLandingZoneStore } from './landing-store.js';
import { LandingService, LandingWatcher } from './landing-service.js';

describeEachDatabase('landing zones', (ctx) => {
  let f: DataFixture;
  let landing: LandingService;
  let zoneDir: string;
  const newService = () =>
    new LandingService({
      datasets: f.service,
      store: new KyselyLandingZoneStore(ctx.db),
      openStore: (uri) => openArtifactStore(uri, { s3: s3rverOptions() }),
      settleMs: 0,
    });
  beforeEach(() => {
    f = createDataFixture(ctx.db);
    zoneDir = join(f.dir, 'landing');
    mkdirSync(zoneDir);
    landing = newService();
  });
  afterEach(() => f.cleanup());

  it('registers each new file once, across restarts, with a durable event', async () => {
    await landing.createZone({ name: 'drop', uri: zoneDir, datasetName: 'housing' });
    copyFileSync(HOUSING_CSV, join(zoneDir, 'day1.csv'));
    const first = await landing.pollOnce();
    expect(first).toMatchObject([
      {
        zone: 'drop',
        path: 'day1.csv',
        status: 'registered',
        version: { version: 1, rowCount: 20640 },
      },
    ]);
    expect(await landing.pollOnce()).toEqual([]);
    // A restarted server (a new service over the same database) skips what was done.
    expect(await newService().pollOnce()).toEqual([]);
    const lines = readFileSync(HOUSING_CSV, 'utf8').split('\n');
    writeFileSync(join(zoneDir, 'day2.csv'), lines.slice(0, 501).join('\n') + '\n');
    copyFileSync(HOUSING_CSV, join(zoneDir, 'copy-of-day1.csv'));
    const second = await newService().pollOnce();
    expect(second.map((o) => [o.path, o.status, o.version?.version])).toEqual([
      ['copy-of-day1.csv', 'duplicate', 1],
      ['day2.csv', 'registered', 2],
    ]);
    const events = await new KyselyEventStore(ctx.db).list({ type: 'dataset.version.created' });
    expect(events.map((e) => e.payload)).toMatchObject([
      { datasetName: 'housing', version: 1, landingZone: 'drop' },
      { datasetName: 'housing', version: 2, landingZone: 'drop' },
    ]);
    // The same name with new content (a new size and time) is a new file.
    writeFileSync(join(zoneDir, 'day2.csv'), lines.slice(0, 301).join('\n') + '\n');
    const later = new Date(Date.now() - 60_000);
    utimesSync(join(zoneDir, 'day2.csv'), later, later);
    const replaced = await landing.pollOnce();
    expect(replaced.map((o) => [o.path, o.status, o.version?.version])).toEqual([
      ['day2.csv', 'registered', 3],
    ]);
    const files = await landing.listFiles('drop');
    expect(files.map((x) => [x.path, x.status]).sort()).toEqual([
      ['copy-of-day1.csv', 'registered'],
      ['day1.csv', 'registered'],
      ['day2.csv', 'registered'],
      ['day2.csv', 'registered'],
    ]);
  });

  it('quarantines broken and failing files with their report, registering nothing', async () => {
    await landing.createZone({
      name: 'checked',
      uri: zoneDir,
      datasetName: 'housing',
      suiteYaml: 'expectations:\n  - expect: not_null\n    column: total_bedrooms\n',
    });
    writeFileSync(join(zoneDir, 'ragged.csv'), 'a,b\n1\n');
    copyFileSync(HOUSING_CSV, join(zoneDir, 'nulls.csv'));
    const outcomes = await landing.pollOnce();
    expect(outcomes.map((o) => [o.path, o.status])).toEqual([
      ['nulls.csv', 'quarantined'],
      ['ragged.csv', 'quarantined'],
    ]);
    expect(await f.service.listDatasets()).toEqual([]);
    const files = await landing.listFiles('checked');
    const nulls = files.find((x) => x.path === 'nulls.csv')!;
    expect(nulls.detail).toMatchObject({
      code: 'FAILED_PRECONDITION',
      report: { passed: false, errors: 1 },
    });
    const ragged = files.find((x) => x.path === 'ragged.csv')!;
    expect(ragged.detail!.error).toMatch(/ragged\.csv line 2: expected 2 fields/);
    expect(existsSync(join(zoneDir, ragged.quarantinePath!))).toBe(true);
    const report = JSON.parse(
      readFileSync(join(zoneDir, `${nulls.quarantinePath!}.report.json`), 'utf8'),
    );
    expect(report.report.results[0]).toMatchObject({ expectation: 'not_null', observed: 207 });
    // Quarantined files are not looked at again, and the quarantine is not a landing place.
    expect(await landing.pollOnce()).toEqual([]);
  });

  it('watches an S3 prefix', async () => {
    const uri = `s3://${inject('s3Bucket')}/landing-${randomBytes(4).toString('hex')}`;
    const s3 = openArtifactStore(uri, { s3: s3rverOptions() });
    await s3.putFile('in/housing.csv', HOUSING_CSV);
    await landing.createZone({ name: 's3zone', uri, datasetName: 'housing' });
    const seen: string[] = [];
    const watcher = new LandingWatcher(landing, {
      intervalMs: 50,
      onOutcome: (o) => seen.push(`${o.path}:${o.status}`),
    });
    watcher.start();
    await expect.poll(() => seen, { timeout: 20_000 }).toEqual(['in/housing.csv:registered']);
    await watcher.stop();
    const version = await f.service.getVersion('housing@1');
    expect(version.source).toBe(`${uri}/in/housing.csv`);
    expect((await readArtifact(s3, 'in/housing.csv')).length).toBeGreaterThan(0);
    await s3.delete('in');
  });

  it('refuses bad zones', async () => {
    await expect(
      landing.createZone({ name: 'z', uri: 'ftp://x/y', datasetName: 'd' }),
    ).rejects.toThrow(/unsupported artifact root scheme/);
    await expect(
      landing.createZone({
        name: 'z',
        uri: zoneDir,
        datasetName: 'd',
        suiteYaml: 'expectations:\n  - expect: nope\n',
      }),
    ).rejects.toThrow('suite of zone z line 2: expectations[0].expect: unknown expectation "nope"');
    await landing.createZone({ name: 'z', uri: zoneDir, datasetName: 'd' });
    await expect(landing.createZone({ name: 'z', uri: zoneDir, datasetName: 'd' })).rejects.toThrow(
      'landing zone z already exists',
    );
    await expect(landing.pollOnce('nope')).rejects.toThrow('landing zone nope does not exist');
  });
});
