// The web UI with authentication on: the same permissions as any client. Without a token it
// shows the sign-in page; a wrong token is refused with the server's message; a viewer's token
// signs in and browses, and a change a viewer may not make is refused on screen.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GyreClient } from '../../src/sdk/index.js';
import { REPO_ROOT } from '../fixtures/data-files.js';
import { runGyre, startGyre, type ServingGyre } from '../fixtures/gyre-process.js';
import {
  describeViolations,
  launchBrowser,
  seriousA11yViolations,
  type UiBrowser,
} from './browser.js';
import { ensureUiBuilt } from './build-ui.js';

const SHOTS = join(REPO_ROOT, 'test-results/ui');
const env = { GYRE_AUTH_ENABLED: 'true' };

let cwd: string;
let server: ServingGyre;
let browser: UiBrowser;
let page: Page;
let viewer: string;

async function token(name: string, role: string): Promise<string> {
  const made = await runGyre(['tokens', 'create', '--name', name, '--role', role, '--json'], {
    cwd,
    env,
  });
  expect(made.code, made.stderr).toBe(0);
  return (JSON.parse(made.stdout) as { token: string }).token;
}

beforeAll(async () => {
  ensureUiBuilt();
  mkdirSync(SHOTS, { recursive: true });
  cwd = await mkdtemp(join(tmpdir(), 'gyre-ui-auth-'));
  // A server with authentication on refuses to start before an admin token exists.
  await token('admin', 'admin');
  viewer = await token('viewer-ui', 'viewer');
  const editorToken = await token('seed', 'editor');
  server = await startGyre(['up', '--port', '0'], { cwd, env });
  const editor = new GyreClient({ baseUrl: server.url, token: editorToken });
  await editor.registry.createModel({ name: 'fraud', description: 'seeded for the UI' });
  await editor.pipelines.register({ name: 'hello', steps: { hi: { uses: 'util/noop' } } });
  browser = await launchBrowser();
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe('web UI with authentication on', { timeout: 120_000 }, () => {
  it('asks for a token, refuses a wrong one, and signs a viewer in', async () => {
    await page.goto(`${server.url}/models`);
    await page.getByRole('heading', { name: 'Sign in to Gyre' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'login.png'), fullPage: true });
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    await page.getByLabel('API token').fill('gyre_0000000000000000.not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/token|credential/i);

    await page.getByLabel('API token').fill(viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The page the link named, now with the viewer's data and name.
    await page.getByRole('link', { name: 'fraud' }).waitFor();
    await page.getByText('viewer-ui').waitFor();
    expect(new URL(page.url()).pathname).toBe('/models');
  });

  it('shows a viewer governance without the audit log', async () => {
    await page.goto(`${server.url}/governance`);
    await page.getByText('The audit log is for admins.').waitFor();
    await page
      .getByText('model card of', { exact: false })
      .or(page.getByText('no version'))
      .first()
      .waitFor();
    expect(await page.getByRole('table', { name: /Audit entries/ }).count()).toBe(0);
  });

  it("refuses a viewer's change with the server's message, then signs out", async () => {
    await page.goto(`${server.url}/pipelines/hello`);
    await page.getByRole('button', { name: 'Trigger hello' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/viewer-ui \(viewer\) lacks EDIT permission/);
    await page.screenshot({ path: join(SHOTS, 'viewer-refused.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Gyre' }).waitFor();
  });
});
