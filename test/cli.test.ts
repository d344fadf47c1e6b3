import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
// The CLI runs from a scratch directory, so the TypeScript loader is named by absolute URL.
const tsxLoader = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
const cwd = mkdtempSync(join(tmpdir(), 'gyre-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function gyre(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', tsxLoader, join(process.cwd(), 'src/main.ts'), ...args],
      {
        cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('gyre CLI', () => {
  it('prints its version as JSON', async () => {
    const res = await gyre(['version', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      gyre: expect.stringMatching(/^\d+\.\d+\.\d+/),
      node: process.versions.node,
    });
  });

  it('prints the effective config with secrets masked', async () => {
    const res = await gyre(['config', '--json'], {
      GYRE_DATABASE_URL: 'postgres://gyre:hunter2@db/gyre',
    });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      'database.url': 'postgres://gyre:****@db/gyre',
      'server.port': '7070',
    });
  });

  it('fails on a bad config value with one line naming the key, no stack trace', async () => {
    const res = await gyre(['server'], { GYRE_PORT: 'seventy' });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'gyre: invalid config server.port (GYRE_PORT): must be an integer from 0 to 65535, got "seventy"\n',
    );
  });

  it('adds the stack trace with --debug', async () => {
    const res = await gyre(['--debug', 'server'], { GYRE_PORT: 'seventy' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^gyre: invalid config server\.port/);
    expect(res.stderr).toContain('    at ');
  });

  it('explains unknown commands and exits non-zero', async () => {
    const res = await gyre(['frobnicate']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("unknown command 'frobnicate'");
  });
});
