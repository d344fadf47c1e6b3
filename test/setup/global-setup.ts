// Starts the real components the suites share (DESIGN.md: no mocks where a real one runs
// here): s3rver on loopback, and a check that the PostgreSQL from scripts/test-services.sh
// is up, so a missing database fails the run with one clear line instead of skipped tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import S3rver from 's3rver';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    s3Bucket: string;
    postgresUrl: string;
  }
}

const S3_BUCKET = 'gyre-test';

async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${(error as Error).message}). Start it with: scripts/test-services.sh start`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgresUrl =
    process.env.GYRE_TEST_POSTGRES_URL ?? 'postgres://gyre@127.0.0.1:55432/postgres';
  await checkPostgres(postgresUrl);

  const directory = mkdtempSync(join(tmpdir(), 'gyre-s3rver-'));
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: S3_BUCKET, configs: [] }],
  });
  const { port } = (await s3rver.run()) as { port: number };

  project.provide('s3Endpoint', `http://127.0.0.1:${port}`);
  project.provide('s3Bucket', S3_BUCKET);
  project.provide('postgresUrl', postgresUrl);

  return async () => {
    await s3rver.close();
    rmSync(directory, { recursive: true, force: true });
  };
}
