// The SQS landing source against a real SQS-compatible server (fauxqs) and S3 (s3rver), on
// SQLite and PostgreSQL. A contract shared with the polled local zone comes first: whichever
// way a file arrives, it becomes one version once, and a bad file is quarantined once.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject, it } from 'vitest';
import { openArtifactStore, type ArtifactStore } from '../../../artifacts/index.js';
import { scratchS3Store, type ScratchS3Store } from '../../../artifacts/test-s3rver.js';
import { describeEachDatabase } from '../../../db/test-database.js';
import {
  createDataFixture,
  HOUSING_CSV,
  s3rverOptions,
  type DataFixture,
} from '../../test-data.js';
import type { DatasetService } from '../../dataset-service.js';
import { LandingService, type LandingOutcome } from '../landing-service.js';
import { KyselyLandingZoneStore } from '../landing-store.js';
import { openSqsQueue } from './landing-queue.js';
import { s3NotificationBody } from './s3-event.js';
import { SqsLandingSource, type MessageResult } from './sqs-landing-source.js';
import { startTestSqs, TEST_SQS_CREDENTIALS, type TestSqs } from './test-sqs.js';

const SMALL_HOUSING = readFileSync(HOUSING_CSV, 'utf8').split('\n').slice(0, 201).join('\n') + '\n';
const RAGGED = 'a,b\n1\n';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const summary = (outcomes: LandingOutcome[]) =>
  outcomes.map((o) => [o.path, o.status, o.version?.version]);

/** One way files reach a zone, as the contract sees it. */
interface Feed {
  name: string;
  /** Creates the zone and returns how to drop a file and how to process what arrived. */
  open(zone: { suiteYaml?: string }): Promise<{
    drop(path: string, content: string): Promise<void>;
    process(): Promise<LandingOutcome[]>;
  }>;
}

let sqs: TestSqs;
beforeAll(async () => {
  sqs = await startTestSqs();
});
afterAll(async () => {
  await sqs?.stop();
});

describeEachDatabase('SQS landing source', (ctx) => {
  let f: DataFixture;
  let landing: LandingService;
  let zoneUri: string;
  let s3: ArtifactStore;
  let scratch: ScratchS3Store;
  let queueName: string;
  let queueUrl: string;
  const sources: SqsLandingSource[] = [];

  const newLanding = (datasets: DatasetService = f.service) =>
    new LandingService({
      datasets,
      store: new KyselyLandingZoneStore(ctx.db),
      openStore: (uri) => openArtifactStore(uri, { s3: s3rverOptions() }),
      settleMs: 0,
    });
  const newSource = (
    o: { landing?: LandingService; url?: string; maxReceives?: number; wait?: number } = {},
  ) => {
    const source = new SqsLandingSource({
      landing: o.landing ?? landing,
      queue: openSqsQueue({
        queueUrl: o.url ?? queueUrl,
        region: 'us-east-1',
        endpoint: sqs.endpoint,
        ...TEST_SQS_CREDENTIALS,
      }),
      waitTimeSeconds: o.wait ?? 0,
      visibilityTimeoutSeconds: 30,
      maxReceives: o.maxReceives ?? 3,
      retryDelaySeconds: () => 0,
    });
    sources.push(source);
    return source;
  };
  /** Puts an object and sends the notification S3 would send for it. */
  const land = async (path: string, content: string, url = queueUrl) => {
    await s3.put(path, content);
    const key = `${zoneUri.replace(/^s3:\/\/[^/]+\//, '')}/${path}`;
    await sqs.send(
      url,
      s3NotificationBody([
        { bucket: inject('s3Bucket'), key, size: Buffer.byteLength(content), eTag: md5(content) },
      ]),
    );
  };
  const outcomesOf = (results: MessageResult[]) => results.flatMap((r) => r.outcomes);

  beforeEach(() => {
    f = createDataFixture(ctx.db);
    landing = newLanding();
    const id = randomBytes(4).toString('hex');
    scratch = scratchS3Store('landing');
    zoneUri = scratch.uri;
    s3 = scratch.store;
    queueName = `landing-${id}`;
    queueUrl = sqs.createQueue(queueName).queueUrl;
  });
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.stop();
    await scratch.cleanup();
    f.cleanup();
  });

  const feeds: Feed[] = [
    {
      name: 'a polled local directory',
      async open(zone) {
        const dir = join(f.dir, 'zone');
        mkdirSync(dir);
        await landing.createZone({ name: 'z', uri: dir, datasetName: 'housing', ...zone });
        return {
          drop: async (path, content) => writeFileSync(join(dir, path), content),
          process: () => landing.pollOnce(),
        };
      },
    },
    {
      name: 'S3 event notifications on SQS',
      async open(zone) {
        await landing.createZone({ name: 'z', uri: zoneUri, datasetName: 'housing', ...zone });
        const source = newSource();
        return {
          drop: (path, content) => land(path, content),
          process: async () => outcomesOf(await source.receiveOnce()),
        };
      },
    },
  ];

  for (const feed of feeds) {
    it(`contract (${feed.name}): each new file becomes one version, once`, async () => {
      const zone = await feed.open({});
      await zone.drop('day1.csv', SMALL_HOUSING);
      expect(summary(await zone.process())).toEqual([['day1.csv', 'registered', 1]]);
      expect(await zone.process()).toEqual([]);
      await zone.drop('copy.csv', SMALL_HOUSING);
      expect(summary(await zone.process())).toEqual([['copy.csv', 'duplicate', 1]]);
      const files = await landing.listFiles('z');
      expect(files.map((x) => [x.path, x.status]).sort()).toEqual([
        ['copy.csv', 'registered'],
        ['day1.csv', 'registered'],
      ]);
    });

    it(`contract (${feed.name}): a bad file is quarantined with its reason, once`, async () => {
      const zone = await feed.open({});
      await zone.drop('ragged.csv', RAGGED);
      const [outcome] = await zone.process();
      expect(outcome).toMatchObject({ path: 'ragged.csv', status: 'quarantined' });
      expect(outcome.error).toMatch(/expected 2 fields/);
      expect(await zone.process()).toEqual([]);
      const [file] = await landing.listFiles('z');
      expect(file).toMatchObject({ path: 'ragged.csv', status: 'quarantined' });
      expect(await f.service.listDatasets()).toEqual([]);
    });
  }

  it('deletes every handled message; a notification delivered twice is ingested once', async () => {
    await landing.createZone({ name: 'z', uri: zoneUri, datasetName: 'housing' });
    const source = newSource();
    await land('a.csv', SMALL_HOUSING);
    // S3 delivers at least once: the same object's notification again.
    await land('a.csv', SMALL_HOUSING);
    const results = await source.receiveOnce();
    expect(results.map((r) => r.action)).toEqual(['deleted', 'deleted']);
    expect(summary(outcomesOf(results))).toEqual([['a.csv', 'registered', 1]]);
    expect(sqs.depth(queueName)).toBe(0);
    expect((await f.service.listVersions('housing')).length).toBe(1);
  });

  it('drops test events, objects of no zone, its own quarantine and folder markers', async () => {
    await landing.createZone({ name: 'z', uri: zoneUri, datasetName: 'housing' });
    const source = newSource();
    const prefix = zoneUri.replace(/^s3:\/\/[^/]+\//, '');
    const bucket = inject('s3Bucket');
    await sqs.send(queueUrl, JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }));
    const other = { size: 3, eTag: md5('x') };
    await sqs.send(
      queueUrl,
      s3NotificationBody([
        { bucket: 'another-bucket', key: `${prefix}/a.csv`, ...other },
        { bucket, key: `elsewhere/a.csv`, ...other },
        { bucket, key: `${prefix}/_quarantine/1/a.csv`, ...other },
        { bucket, key: `${prefix}/.hidden.csv`, ...other },
        { bucket, key: `${prefix}/folder/`, ...other },
      ]),
    );
    const results = await source.receiveOnce();
    expect(results.map((r) => [r.action, r.outcomes.length])).toEqual([
      ['deleted', 0],
      ['deleted', 0],
    ]);
    expect(sqs.depth(queueName)).toBe(0);
  });

  it('redelivers after an internal failure and quarantines the file at maxReceives', async () => {
    let failures = 0;
    const flaky = new Proxy(f.service, {
      get(target, prop, receiver) {
        if (prop !== 'ingest') return Reflect.get(target, prop, receiver) as unknown;
        return async () => {
          failures++;
          throw new Error('object store unavailable');
        };
      },
    });
    const flakyLanding = newLanding(flaky);
    await flakyLanding.createZone({ name: 'z', uri: zoneUri, datasetName: 'housing' });
    const source = newSource({ landing: flakyLanding, maxReceives: 2 });
    await land('a.csv', SMALL_HOUSING);
    const first = await source.receiveOnce();
    expect(first.map((r) => [r.action, summary(r.outcomes)])).toEqual([
      ['retry', [['a.csv', 'retry', undefined]]],
    ]);
    // Visible again at once (retry delay 0): the second delivery is the last allowed.
    const second = await source.receiveOnce();
    expect(second.map((r) => [r.action, summary(r.outcomes)])).toEqual([
      ['deleted', [['a.csv', 'quarantined', undefined]]],
    ]);
    expect(failures).toBe(2);
    expect(sqs.depth(queueName)).toBe(0);
    const [file] = await landing.listFiles('z');
    expect(file).toMatchObject({
      status: 'quarantined',
      detail: { error: 'object store unavailable' },
    });
  });

  it('registers a file on redelivery once the failure has passed', async () => {
    let calls = 0;
    const once = new Proxy(f.service, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'ingest') return value;
        return (...args: Parameters<DatasetService['ingest']>) => {
          if (++calls === 1) return Promise.reject(new Error('connection reset'));
          return target.ingest(...args);
        };
      },
    });
    const recovering = newLanding(once);
    await recovering.createZone({ name: 'z', uri: zoneUri, datasetName: 'housing' });
    const source = newSource({ landing: recovering });
    await land('a.csv', SMALL_HOUSING);
    expect((await source.receiveOnce()).map((r) => r.action)).toEqual(['retry']);
    const again = await source.receiveOnce();
    expect(summary(outcomesOf(again))).toEqual([['a.csv', 'registered', 1]]);
    expect(sqs.depth(queueName)).toBe(0);
  });

  it('leaves a message that is no S3 notification to the dead-letter queue', async () => {
    const name = `${queueName}-r`;
    const { queueUrl: url } = sqs.createQueue(name, { deadLetterAfter: 2 });
    const source = newSource({ url });
    await sqs.send(url, 'not json');
    for (let delivery = 1; delivery <= 2; delivery++) {
      const [result] = await source.receiveOnce();
      expect(result).toMatchObject({
        action: 'left-for-dead-letter',
        error: 'message body is not JSON',
      });
    }
    // The third receive finds it over maxReceiveCount: SQS moves it to the dead-letter queue.
    expect(await source.receiveOnce()).toEqual([]);
    expect(sqs.depth(name)).toBe(0);
    expect(sqs.depth(`${name}-dlq`)).toBe(1);
  });

  it('runs until stopped, long polling, and stops while a poll waits', async () => {
    await landing.createZone({ name: 'z', uri: zoneUri, datasetName: 'housing' });
    const seen: string[] = [];
    const source = new SqsLandingSource({
      landing,
      queue: openSqsQueue({
        queueUrl,
        region: 'us-east-1',
        endpoint: sqs.endpoint,
        ...TEST_SQS_CREDENTIALS,
      }),
      waitTimeSeconds: 20,
      onOutcome: (o) => seen.push(`${o.path}:${o.status}`),
    });
    source.start();
    await land('live.csv', SMALL_HOUSING);
    await expect.poll(() => seen, { timeout: 20_000 }).toEqual(['live.csv:registered']);
    // The next receive is a 20 s long poll; stop() aborts it rather than waiting it out.
    await source.stop();
    expect(sqs.depth(queueName)).toBe(0);
  });
});
