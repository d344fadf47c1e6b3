import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGyre, type TestGyre } from './test-gyre.js';

describe('a started Gyre', () => {
  let test: TestGyre;
  beforeEach(async () => {
    test = await createTestGyre('sqlite');
  });
  afterEach(() => test.close());

  it('removes the temp files an upload killed mid-write left in the artifact store', async () => {
    const dir = join(test.home, 'artifacts', 'mlflow', '0', 'run', 'artifacts');
    mkdirSync(dir, { recursive: true });
    const stale = join(dir, '.gyre-tmp-0123456789ab');
    const live = join(dir, '.gyre-tmp-ba9876543210');
    writeFileSync(stale, 'half an upload from a killed server');
    writeFileSync(live, 'an upload still in progress');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);

    test.gyre.start();
    await test.gyre.close(); // waits for the sweep, among the background work
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
