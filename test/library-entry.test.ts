// The documented library entry points, used as a user's script uses them: the code blocks of
// docs/library.md run from a directory outside the repository with `gyre` installed there.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, listen } from '../src/server/index.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';
import { REPO_ROOT } from './fixtures/data-files.js';

const run = promisify(execFile);
const blocks = [
  ...readFileSync(join(REPO_ROOT, 'docs/library.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g),
].map((m) => m[1]);

describe('the package entry points from a script outside the repository', () => {
  let project: string;
  beforeAll(() => {
    // A user's project with gyre installed (npm links a local install the same way).
    project = mkdtempSync(join(tmpdir(), 'gyre-user-project-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(REPO_ROOT, join(project, 'node_modules', 'gyre'), 'dir');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const script = async (source: string, env: Record<string, string> = {}) => {
    writeFileSync(join(project, 'script.mjs'), source);
    const { stdout } = await run(process.execPath, ['script.mjs'], {
      cwd: project,
      env: { PATH: process.env.PATH, ...env },
    });
    return stdout;
  };

  it('trains on the shipped data through gyre/ml', async () => {
    const out = await script(blocks[0]);
    const rmse = Number(/test RMSE: (\d+)/.exec(out)?.[1]);
    expect(rmse).toBeGreaterThan(40_000);
    expect(rmse).toBeLessThan(55_000);
  });

  describe('the SDK against a running server', () => {
    let test: TestGyre;
    let app: FastifyInstance;
    let url: string;
    beforeAll(async () => {
      test = await createTestGyre('sqlite');
      app = await buildApp(test.gyre, { version: 'test' });
      url = await listen(app, { host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await app.close();
      await test.close();
    });

    it('logs a run through GyreClient', async () => {
      expect(await script(blocks[1], { GYRE_URL: url })).toBe('run from a script: rmse 48900\n');
    });
  });
});
