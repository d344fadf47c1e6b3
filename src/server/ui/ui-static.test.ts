import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachGyre } from '../../test-gyre.js';
import { buildApp } from '../app.js';
import { isUiPage } from './ui-static.js';

// A stand-in for dist/ui as Vite writes it: the shell, hashed assets, a public file.
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gyre-ui-build-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/index-Ab12.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(root, 'assets/index-Ab12.js'), 'console.log("gyre")');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeEachGyre(
  'web UI static serving (auth on)',
  (ctx) => {
    let app: FastifyInstance;
    beforeEach(async () => {
      app = await buildApp(ctx.gyre, { version: '0.0.0-test', uiRoot: root });
    });
    afterEach(() => app.close());

    it('serves the shell at / with revalidation and an ETag, without credentials', async () => {
      const res = await app.inject('/');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
      const again = await app.inject({ url: '/', headers: { 'if-none-match': res.headers.etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });

    it('caches hashed assets for a year and other files briefly', async () => {
      const asset = await app.inject('/assets/index-Ab12.js');
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const icon = await app.inject('/favicon.svg');
      expect(icon.headers['content-type']).toBe('image/svg+xml');
      expect(icon.headers['cache-control']).toBe('no-cache');
      expect((await app.inject('/assets/missing-Zz99.js')).statusCode).toBe(404);
    });

    it('answers a page of the app with the shell (deep links, reloads)', async () => {
      for (const url of [
        '/runs/abc',
        '/models/fraud?version=3',
        '/experiments/0',
        '/deployments/x',
      ]) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.body, url).toContain('<div id="root">');
        expect(res.headers['cache-control']).toBe('no-cache');
      }
    });

    it('never shadows the APIs, the inference protocols, metrics or health', async () => {
      for (const url of [
        '/api/v1/no-such-thing',
        '/api/2.0/mlflow/nope',
        '/ajax-api/2.0/mlflow/nope',
        '/v1/models/nope:predict',
        '/v2/nope',
        '/invocations/x',
        '/metrics/x',
        '/healthz/x',
        '/api/docs/nope',
      ]) {
        const res = await app.inject({ url, headers: { accept: 'text/html' } });
        expect(res.statusCode, url).toBe(404);
        // The API's own JSON 404 (Gyre's or MLflow's shape), never the UI's shell.
        expect(res.headers['content-type'], url).toMatch(/^application\/json/);
        expect(res.body, url).not.toContain('id="root"');
      }
      // The API still asks for credentials; the shell itself is public.
      expect((await app.inject('/api/v1/experiments')).statusCode).toBe(401);
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      expect((await app.inject('/metrics')).headers['content-type']).toMatch(/^text\/plain/);
      // Only GET and HEAD get the shell.
      expect((await app.inject({ method: 'POST', url: '/runs/abc' })).statusCode).toBe(404);
    });
  },
  { env: { GYRE_AUTH_ENABLED: 'true' } },
);

describeEachGyre('web UI not built', (ctx) => {
  it('says how to build it at / and leaves other paths to the API', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gyre-ui-none-'));
    const app = await buildApp(ctx.gyre, { version: '0.0.0-test', uiRoot: empty });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/npm run build/);
    expect((await app.inject('/runs/abc')).statusCode).toBe(404);
    await app.close();
    const none = await buildApp(ctx.gyre, { version: '0.0.0-test', uiRoot: false });
    expect((await none.inject('/')).statusCode).toBe(404);
    await none.close();
    rmSync(empty, { recursive: true, force: true });
  });
});

it('tells pages of the app from reserved and file paths', () => {
  expect(isUiPage('/')).toBe(true);
  expect(isUiPage('/pipeline-runs/1234')).toBe(true);
  expect(isUiPage('/apiary')).toBe(true);
  expect(isUiPage('/api')).toBe(false);
  expect(isUiPage('/v2/models/x/infer')).toBe(false);
  expect(isUiPage('/assets/app.js')).toBe(false);
  expect(isUiPage('/assets/gone')).toBe(false);
});
