// SIGTERM drains: for the drain window the server still answers but /readyz says 503, so a
// load balancer takes it out first; then new connections are refused, a request in flight
// when the signal arrived still gets its answer, and the process exits 0. Every step waits on
// what the server reports (stdout lines, statuses, refused connections), never on a timer.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'gyre-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('reports not ready for the drain window, lets an in-flight request finish, refuses new connections, and exits 0', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/fixtures/slow-server.ts',
        `sqlite:${join(dir, 'gyre.db')}`,
        join(dir, 'artifacts'),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = once(child, 'exit');
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const nextLine = async () => (await lines.next()).value as string;
    const url = await nextLine();
    if (!url) throw new Error('the server exited before listening (its stderr is above)');

    const slow = fetch(`${url}/test/slow`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    expect(await nextLine()).toBe('slow request started');
    child.kill('SIGTERM');

    const status = (path: string) =>
      fetch(`${url}${path}`).then(
        (r) => r.status,
        () => 'refused',
      );
    await expect.poll(() => status('/readyz'), { timeout: 10_000, interval: 20 }).toBe(503);
    expect(await status('/healthz')).toBe(200);

    await expect
      .poll(
        () =>
          fetch(`${url}/healthz`).then(
            (r) => `answered ${r.status}`,
            () => 'refused',
          ),
        {
          timeout: 10_000,
          interval: 20,
        },
      )
      .toBe('refused');
    child.stdin!.write('release\n');
    expect(await slow).toEqual({ status: 200, body: { finished: true } });
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
