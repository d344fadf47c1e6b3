import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'gyre-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('lets a slow request finish after SIGTERM, refuses new connections, and exits 0', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/fixtures/slow-server.ts',
        `sqlite:${join(dir, 'gyre.db')}`,
        join(dir, 'artifacts'),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const [firstLine] = (await once(child.stdout, 'data')) as [Buffer];
    const url = firstLine.toString().trim();

    const slow = fetch(`${url}/test/slow`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(await slow).toEqual({ status: 200, body: { finished: true } });
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
