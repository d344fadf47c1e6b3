// Landing-zone ingestion in its two shapes, side by side in one run: a polled local directory
// and S3 event notifications consumed from SQS (s3rver + fauxqs on loopback), against the
// anchor of ingesting the same files directly. The ratios are the landing machinery's cost
// (listing, ledger, queue round trips) on top of ingestion itself.
//   npx tsx bench/data/landing-sqs.ts [--files 20]
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { openArtifactStore } from '../../src/artifacts/index.js';
import {
  DatasetService,
  KyselyDatasetStore,
  KyselyLandingZoneStore,
  LandingService,
  openSqsQueue,
  s3NotificationBody,
  SqsLandingSource,
} from '../../src/data/index.js';
import { startTestSqs, TEST_SQS_CREDENTIALS } from '../../src/data/landing/sqs/test-sqs.js';
import { migrateToLatest, openDatabase } from '../../src/db/index.js';
import { HOUSING_CSV } from '../../test/fixtures/data-files.js';

const filesArg = process.argv.indexOf('--files');
const N = filesArg > 0 ? Number(process.argv[filesArg + 1]) : 20;

const dir = mkdtempSync(join(tmpdir(), 'gyre-bench-landing-'));
const s3rver = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: join(dir, 's3'),
  configureBuckets: [{ name: 'bench', configs: [] }],
});
const { port } = (await s3rver.run()) as { port: number };
const s3 = {
  region: 'us-east-1',
  endpoint: `http://127.0.0.1:${port}`,
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
};
const sqs = await startTestSqs();
const db = openDatabase(`sqlite:${join(dir, 'gyre.db')}`);
await migrateToLatest(db);

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

try {
  const openStore = (uri: string) => openArtifactStore(uri, { s3 });
  const datasets = new DatasetService({
    store: new KyselyDatasetStore(db),
    artifacts: openArtifactStore(join(dir, 'artifacts')),
    openStore,
  });
  const landing = new LandingService({
    datasets,
    store: new KyselyLandingZoneStore(db),
    openStore,
    settleMs: 0,
  });
  // N distinct files of 200 rows each, so every one is a new version.
  const lines = readFileSync(HOUSING_CSV, 'utf8').split('\n');
  const files = Array.from(
    { length: N },
    (_, i) => [lines[0], ...lines.slice(1 + i * 200, 1 + (i + 1) * 200)].join('\n') + '\n',
  );

  const anchorDir = join(dir, 'anchor');
  mkdirSync(anchorDir);
  const anchor = await time(async () => {
    for (const [i, content] of files.entries()) {
      const path = join(anchorDir, `f${i}.csv`);
      writeFileSync(path, content);
      await datasets.ingest({ source: path, name: 'anchor' });
    }
  });

  const zoneDir = join(dir, 'zone');
  mkdirSync(zoneDir);
  await landing.createZone({ name: 'local', uri: zoneDir, datasetName: 'local' });
  for (const [i, content] of files.entries()) writeFileSync(join(zoneDir, `f${i}.csv`), content);
  let polled = 0;
  const local = await time(async () => {
    polled = (await landing.pollOnce('local')).filter((o) => o.status === 'registered').length;
  });

  await landing.createZone({ name: 's3', uri: 's3://bench/landing', datasetName: 'events' });
  const bucket = openStore('s3://bench/landing');
  const { queueUrl } = sqs.createQueue('landing');
  for (const [i, content] of files.entries()) {
    await bucket.put(`f${i}.csv`, content);
    const eTag = createHash('md5').update(content).digest('hex');
    const body = s3NotificationBody([
      { bucket: 'bench', key: `landing/f${i}.csv`, size: Buffer.byteLength(content), eTag },
    ]);
    await sqs.send(queueUrl, body);
  }
  // The same objects ingested straight from S3: what the queue adds is the rest.
  const fromS3 = await time(async () => {
    for (let i = 0; i < N; i++)
      await datasets.ingest({ source: `s3://bench/landing/f${i}.csv`, name: 'from-s3' });
  });
  const source = new SqsLandingSource({
    landing,
    queue: openSqsQueue({
      queueUrl,
      region: 'us-east-1',
      endpoint: sqs.endpoint,
      ...TEST_SQS_CREDENTIALS,
    }),
    waitTimeSeconds: 1,
  });
  let consumed = 0;
  const events = await time(async () => {
    while (consumed < N) {
      const results = await source.receiveOnce();
      consumed += results
        .flatMap((r) => r.outcomes)
        .filter((o) => o.status === 'registered').length;
    }
  });
  await source.stop();
  if (polled !== N || consumed !== N)
    throw new Error(`registered ${polled} polled, ${consumed} by events`);

  console.log(`${N} CSV files of 200 rows (California housing), SQLite metadata\n`);
  console.log(
    `${'path'.padEnd(46)}${'ms'.padStart(8)}${'ms/file'.padStart(10)}${'× anchor'.padStart(10)}`,
  );
  for (const [name, ms] of [
    ['DatasetService.ingest, file by file (anchor)', anchor],
    ['local zone: one poll (list, ledger, ingest)', local],
    ['DatasetService.ingest from S3, file by file', fromS3],
    ['S3 zone: SQS events (receive, ingest, delete)', events],
  ] as const)
    console.log(
      `${name.padEnd(46)}${ms.toFixed(0).padStart(8)}${(ms / N).toFixed(1).padStart(10)}${(ms / anchor).toFixed(2).padStart(10)}`,
    );
} finally {
  await db.close();
  await sqs.stop();
  await s3rver.close();
  rmSync(dir, { recursive: true, force: true });
}
