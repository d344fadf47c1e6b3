// Prepares what the suites share (DESIGN.md: no mocks where a real component runs here):
// - the built CLI in dist/ (tests run `bin/gyre.js` as users do, and worker threads start
//   from built files), rebuilt incrementally;
// - s3rver on loopback;
// - the PostgreSQL from scripts/test-services.sh, when it is up. Suites that need no database
//   run without it; a suite that needs it fails naming the problem (see db/test-database.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import S3rver from 's3rver';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '../fixtures/data-files.js';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    s3Bucket: string;
    postgresUrl: string;
    /** Why PostgreSQL cannot be used, when it cannot. */
    postgresProblem: string;
  }
}

const S3_BUCKET = 'gyre-test';

async function postgresProblem(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return '';
  } catch (error) {
    return `PostgreSQL is not reachable at ${url} (${(error as Error).message}). Start it with: scripts/test-services.sh start`;
  } finally {
    await client.end().catch(() => {});
  }
}

function build(): void {
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  build();
  const postgresUrl =
    process.env.GYRE_TEST_POSTGRES_URL ?? 'postgres://gyre@127.0.0.1:55432/postgres';
  const problem = await postgresProblem(postgresUrl);
  if (problem) console.warn(`${problem}\nSuites that need PostgreSQL will fail.`);

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
  project.provide('postgresProblem', problem);

  return async () => {
    await s3rver.close();
    rmSync(directory, { recursive: true, force: true });
  };
}
