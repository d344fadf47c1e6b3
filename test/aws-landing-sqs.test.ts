// Cluster-mode landing as a user runs it: a zone on an S3 prefix, the bucket's notification
// on an SQS queue, and `gyre data watch --sqs --once` turning it into a dataset version. S3
// is s3rver and SQS is fauxqs, both real servers on loopback.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scratchS3Store, type ScratchS3Store } from '../src/artifacts/test-s3rver.js';
import { s3NotificationBody } from '../src/data/landing/sqs/s3-event.js';
import { startTestSqs, type TestSqs } from '../src/data/landing/sqs/test-sqs.js';
import { HOUSING_CSV } from './fixtures/data-files.js';
import { runGyre } from './fixtures/gyre-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'gyre-aws-landing-'));
let sqs: TestSqs;
let zone: ScratchS3Store;
beforeAll(async () => {
  sqs = await startTestSqs();
  zone = scratchS3Store('cli-landing');
});
afterAll(async () => {
  await sqs?.stop();
  await zone?.cleanup();
  rmSync(cwd, { recursive: true, force: true });
});

describe('gyre data watch --sqs', { timeout: 180_000 }, () => {
  it('ingests the files S3 notifies about, once, and says what it did', async () => {
    const queue = `cli-${randomBytes(4).toString('hex')}`;
    const { queueUrl } = sqs.createQueue(queue);
    const env = {
      GYRE_HOME: join(cwd, '.gyre'),
      GYRE_LANDING_SQS_QUEUE_URL: queueUrl,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_S3: inject('s3Endpoint'),
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      GYRE_S3_FORCE_PATH_STYLE: 'true',
      GYRE_LANDING_SQS_WAIT_SECONDS: '1',
    };
    const gyre = (...args: string[]) => runGyre(args, { cwd, env });
    const add = await gyre(
      'data',
      'zone',
      'add',
      'drop',
      '--uri',
      zone.uri,
      '--dataset',
      'housing',
    );
    expect(add.code, add.stderr).toBe(0);

    const content = readFileSync(HOUSING_CSV, 'utf8').split('\n').slice(0, 101).join('\n') + '\n';
    await zone.store.put('2026/day1.csv', content);
    const event = s3NotificationBody([
      {
        bucket: inject('s3Bucket'),
        key: `${zone.uri.replace(/^s3:\/\/[^/]+\//, '')}/2026/day1.csv`,
        size: Buffer.byteLength(content),
        eTag: createHash('md5').update(content).digest('hex'),
      },
    ]);
    await sqs.send(queueUrl, event);
    await sqs.send(queueUrl, event);

    const watch = await gyre('data', 'watch', '--sqs', '--once');
    expect(watch.code, watch.stderr).toBe(0);
    expect(watch.stdout).toBe('drop: 2026/day1.csv registered → housing@1\n');
    expect(watch.stderr).toContain('2 message(s) handled');
    expect(sqs.depth(queue)).toBe(0);

    const files = JSON.parse((await gyre('data', 'zone', 'files', 'drop', '--json')).stdout);
    expect(files).toMatchObject([{ path: '2026/day1.csv', status: 'registered' }]);
  });

  it('names the missing setting when no queue is configured', async () => {
    const run = await runGyre(['data', 'watch', '--sqs', '--once'], {
      cwd,
      env: { GYRE_HOME: join(cwd, '.gyre-none') },
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no landing queue: set landing.sqs.queueUrl');
  });
});
