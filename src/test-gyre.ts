// Test-only helper (excluded from the build): a whole Gyre built by the real composition root
// over a fresh database of each dialect and a temp home, so tests wire nothing by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, inject } from 'vitest';
import { s3rverOptions } from './artifacts/test-s3rver.js';
import { loadConfig } from './config/index.js';
import type { Clock } from './core/index.js';
import type { Dialect } from './db/index.js';
import { TEST_DIALECTS, createTestDatabaseUrl } from './db/test-database.js';
import { createGyre, type Gyre } from './gyre.js';

export interface TestGyre {
  gyre: Gyre;
  /** The temp home holding the artifact store (and the SQLite file). */
  home: string;
  dialect: Dialect;
  /** The database URL, for a server or CLI process under test to open the same database. */
  url: string;
  /** Closes Gyre and removes its database and home. */
  close(): Promise<void>;
}

export interface TestGyreOptions {
  /** Extra settings as environment variables, e.g. `{ GYRE_ARTIFACT_ROOT: 's3://...' }`. */
  env?: Record<string, string>;
  clock?: Clock;
}

export async function createTestGyre(
  dialect: Dialect,
  options: TestGyreOptions = {},
): Promise<TestGyre> {
  const home = mkdtempSync(join(tmpdir(), 'gyre-test-home-'));
  const database = await createTestDatabaseUrl(dialect);
  const config = loadConfig({
    cwd: home,
    env: {
      GYRE_HOME: home,
      GYRE_DATABASE_URL: database.url,
      GYRE_DATABASE_POOL_SIZE: '5',
      ...options.env,
    },
  });
  const gyre = await createGyre(config, { clock: options.clock });
  return {
    gyre,
    home,
    dialect,
    url: database.url,
    close: async () => {
      await gyre.close();
      await database.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a describe block once per dialect; `ctx.gyre` is a fresh Gyre for each test.
 *
 *   describeEachGyre('registry', (ctx) => { it('...', async () => { ctx.gyre.registry ... }) })
 */
export function describeEachGyre(
  title: string,
  body: (ctx: Readonly<Omit<TestGyre, 'close'>>) => void,
  options: TestGyreOptions = {},
): void {
  for (const dialect of TEST_DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let current: TestGyre | undefined;
      const live = (): TestGyre => {
        if (!current) throw new Error('test Gyre used outside a test');
        return current;
      };
      const ctx = {
        dialect,
        get gyre() {
          return live().gyre;
        },
        get home() {
          return live().home;
        },
        get url() {
          return live().url;
        },
      };
      beforeEach(async () => {
        current = await createTestGyre(dialect, options);
      });
      afterEach(async () => {
        await current?.close();
        current = undefined;
      });
      body(ctx);
    });
  }
}

/** Settings that put the artifact store on the s3rver the test setup starts, under `prefix`. */
export function s3rverEnv(prefix: string): Record<string, string> {
  const s3 = s3rverOptions();
  return {
    GYRE_ARTIFACT_ROOT: `s3://${inject('s3Bucket')}/${prefix}`,
    AWS_ENDPOINT_URL_S3: s3.endpoint!,
    AWS_ACCESS_KEY_ID: s3.accessKeyId!,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey!,
    GYRE_S3_FORCE_PATH_STYLE: 'true',
  };
}
