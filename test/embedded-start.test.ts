// The README's first command, as a user runs it: `gyre up` on a fresh home directory.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGyre, type ServingGyre } from './fixtures/gyre-process.js';

const home = mkdtempSync(join(tmpdir(), 'gyre-up-'));
let gyre: ServingGyre;
let url: string;

beforeAll(async () => {
  gyre = await startGyre(['up', '--port', '0'], { cwd: home, env: { GYRE_HOME: home } });
  url = gyre.url;
});

afterAll(async () => {
  await gyre.stop('SIGKILL');
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
    expect(await gyre.stop('SIGTERM')).toBe(0);
  });
});
