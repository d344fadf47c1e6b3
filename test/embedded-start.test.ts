// The README's first command, as a user runs it: `gyre up` on a fresh home directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'gyre-up-'));
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'up', '--port', '0'], {
    env: { PATH: process.env.PATH, GYRE_HOME: home, GYRE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  while (!/Gyre is up at (\S+)/.test(stderr)) {
    const exited = once(child, 'exit').then(() => 'exit' as const);
    if ((await Promise.race([once(child.stderr!, 'data'), exited])) === 'exit')
      throw new Error(`gyre up exited: ${stderr}`);
  }
  url = /Gyre is up at (\S+)/.exec(stderr)![1];
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
  rmSync(home, { recursive: true, force: true });
});

describe('gyre up on a fresh machine', () => {
  it('listens on loopback and creates its SQLite database and artifact root under GYRE_HOME', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(home, 'gyre.db'))).toBe(true);
  });

  it('answers /healthz and /readyz with 200', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: { dialect: 'sqlite' } });
  });

  it('serves Prometheus text metrics and the OpenAPI document', async () => {
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toMatch(/^# HELP gyre_/m);
    const doc = await fetch(`${url}/api/docs/json`);
    expect(((await doc.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it('exits 0 on SIGTERM', async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
