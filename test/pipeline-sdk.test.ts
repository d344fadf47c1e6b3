// The SDK's pipelines client against a Gyre serving on loopback, on SQLite and PostgreSQL:
// register, trigger, a step waiting for approval until someone approves it, a webhook step
// posting to a real HTTP server, followed logs, and cancellation.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GyreClient } from '../src/sdk/index.js';
import { buildApp, listen } from '../src/server/index.js';
import { describeEachGyre } from '../src/test-gyre.js';

describeEachGyre('pipelines SDK', (ctx) => {
  let app: FastifyInstance;
  let client: GyreClient;
  let hook: Server;
  let hookUrl: string;
  const received: unknown[] = [];

  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
    const url = await listen(app, { host: '127.0.0.1', port: 0 });
    ctx.gyre.start({ apiUrl: url });
    client = new GyreClient({ baseUrl: url });
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    await app.close();
    await new Promise((r) => hook.close(r));
  });

  it('waits for approval, then notifies a webhook', async () => {
    await client.pipelines.register({
      name: 'release',
      params: { version: '1.0' },
      steps: {
        sign_off: { uses: 'util/approval', with: { message: 'check the release notes' } },
        announce: {
          needs: 'sign_off',
          uses: 'notify/webhook',
          with: {
            url: hookUrl,
            body: {
              text: 'released ${{ params.version }} (${{ steps.sign_off.outputs.approved_by }})',
            },
          },
        },
      },
    });
    const { run } = await client.pipelines.trigger('release', { params: { version: '2.0' } });
    await expect
      .poll(
        async () =>
          (await client.pipelines.run(run.id)).steps.find((s) => s.step === 'sign_off')?.status,
        { timeout: 20_000 },
      )
      .toBe('waiting_approval');
    await client.pipelines.approve(run.id, 'ada');
    const final = await client.pipelines.wait(run.id, 50);
    expect(final.status).toBe('succeeded');
    expect(received).toContainEqual({ text: 'released 2.0 (ada)' });
    let log = '';
    for await (const text of client.pipelines.logs(run.id, 'sign_off')) log += text;
    expect(log).toContain('check the release notes');
    expect(log).toContain('approved by ada');
  });

  it('cancels a run waiting for approval', async () => {
    await client.pipelines.register({ name: 'held', steps: { wait: { uses: 'util/approval' } } });
    const { run } = await client.pipelines.trigger('held');
    await expect
      .poll(async () => (await client.pipelines.run(run.id)).steps[0].status, { timeout: 20_000 })
      .toBe('waiting_approval');
    await client.pipelines.cancel(run.id);
    expect((await client.pipelines.wait(run.id, 50)).status).toBe('cancelled');
    await expect(client.pipelines.approve(run.id, 'late')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
  });
});
