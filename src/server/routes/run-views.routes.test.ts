import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { requireStorePath } from '../../tracking/index.js';
import { describeEachGyre } from '../../test-gyre.js';
import { buildApp } from '../app.js';

describeEachGyre('run views for the UI', (ctx) => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test', uiRoot: false });
  });
  afterEach(() => app.close());

  it('reduces a long metric history to the requested points, keeping its extremes', async () => {
    const { runs } = ctx.gyre.tracking;
    const run = await runs.create({ experimentId: '0' });
    const n = 5000;
    for (let start = 0; start < n; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => {
        const step = start + i;
        return {
          key: 'loss',
          value: step === 3210 ? 99 : 1 / (step + 1),
          timestamp: 1000 + step,
          step,
        };
      });
      await runs.logBatch(run.info.runId, { metrics });
    }
    const res = await app.inject(`/api/v1/runs/${run.info.runId}/metrics/loss/sampled?points=100`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { total: number; points: { step: number; value: number }[] };
    expect(body.total).toBe(n);
    expect(body.points.length).toBeLessThanOrEqual(100);
    expect(body.points[0]).toMatchObject({ step: 0, value: 1 });
    expect(body.points.at(-1)!.step).toBe(n - 1);
    expect(body.points.find((p) => p.step === 3210)?.value).toBe(99);

    const bad = await app.inject(`/api/v1/runs/${run.info.runId}/metrics/loss/sampled?points=2`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/points/);
    const missing = await app.inject(
      '/api/v1/runs/0123456789abcdef0123456789abcdef/metrics/loss/sampled',
    );
    expect(missing.statusCode).toBe(404);
  });

  it("lists a run's artifacts by directory and streams one with its type", async () => {
    const run = await ctx.gyre.tracking.runs.create({ experimentId: '0' });
    const root = requireStorePath(run.info.artifactUri);
    await ctx.gyre.artifacts.put(`${root}/model/MLmodel`, Buffer.from('flavors:\n  gyre: {}\n'));
    await ctx.gyre.artifacts.put(`${root}/metrics.json`, Buffer.from('{"auc":0.9}'));
    const top = await app.inject(`/api/v1/runs/${run.info.runId}/artifacts`);
    expect(top.json()).toMatchObject({
      path: '',
      files: [
        { path: 'model', isDir: true },
        { path: 'metrics.json', isDir: false, size: 11 },
      ],
    });
    const model = await app.inject(`/api/v1/runs/${run.info.runId}/artifacts?path=model`);
    expect(model.json().files).toMatchObject([{ path: 'model/MLmodel', isDir: false }]);
    const json = await app.inject(
      `/api/v1/runs/${run.info.runId}/artifacts/content?path=metrics.json`,
    );
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-security-policy']).toMatch(/sandbox/);
    expect(json.json()).toEqual({ auc: 0.9 });
    const escape = await app.inject(
      `/api/v1/runs/${run.info.runId}/artifacts/content?path=../../secret`,
    );
    expect(escape.statusCode).toBe(400);
    const absent = await app.inject(
      `/api/v1/runs/${run.info.runId}/artifacts/content?path=nope.txt`,
    );
    expect(absent.statusCode).toBe(404);
  });
});
