// Traffic routing through a real model server over stored deployments (SQLite and
// PostgreSQL): a canary holds its weight, A/B is sticky per key, a shadow gets a copy of every
// request and never answers, and an alias move reaches the server without a restart.
import { afterEach, expect, it } from 'vitest';
import { KyselyCursorStore } from '../src/events/index.js';
import {
  createModelServer,
  type BatchDecoder,
  type ModelServer,
  type PredictionRecord,
} from '../src/serving/index.js';
import { housingRows, registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';

const models = [1, 2, 3].map((seed) => trainHousingGbdt({ rounds: 5, seed, rows: 1000 }));
const row = housingRows().rows[0];
/** Every request is the same one housing row, already in signature order. */
const decoder: BatchDecoder<null> = { decode: () => ({ layout: 'rows', numRows: 1, rows: [row] }) };

describeEachGyre('traffic routing', (ctx) => {
  let server: ModelServer | undefined;
  const seen: PredictionRecord[] = [];
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    seen.length = 0;
  });

  const serve = async () => {
    const { gyre } = ctx;
    const cursors = new KyselyCursorStore(gyre.db);
    server = createModelServer({
      deployments: gyre.serving.deployments,
      loader: gyre.serving.loader,
      events: gyre.events,
      latestEventId: () => cursors.latestEventId(),
      pollIntervalMs: 50,
      observer: { onPrediction: (r) => seen.push(r), onError: () => {} },
      logger: gyre.logger,
    });
    await server.start();
    return server;
  };
  const setup = async () => {
    for (const m of models) await registerModel(ctx.gyre, 'housing', m);
    await ctx.gyre.registry.setAlias('housing', 'champion', 1);
    return ctx.gyre.serving.deployments;
  };
  let n = 0;
  const infer = (s: ModelServer, key?: string) => {
    const result = s.infer('housing', decoder, null, {
      requestId: `r-${++n}`,
      routingKey: key,
      startedAt: performance.now(),
    });
    if (result instanceof Promise) throw new Error('native models answer synchronously');
    return result.route.version;
  };

  it('holds a canary weight within ±3% over 10,000 requests', async () => {
    const deployments = await setup();
    await deployments.deploy({ name: 'housing', model: 'housing@champion' });
    await deployments.deploy({ name: 'housing', model: 'housing/2', canary: 10 });
    const s = await serve();
    const versions = Array.from({ length: 10_000 }, () => infer(s));
    const canary = versions.filter((v) => v === '2').length / versions.length;
    expect(Math.abs(canary - 0.1)).toBeLessThanOrEqual(0.003);
    expect(new Set(versions)).toEqual(new Set(['1', '2']));
  });

  it('keeps one routing key on one version (A/B), splitting keys by weight', async () => {
    const deployments = await setup();
    await deployments.deploy({ name: 'housing', model: 'housing/1' });
    await deployments.deploy({
      name: 'housing',
      model: 'housing/2',
      ab: 50,
      keyHeader: 'X-User-Id',
    });
    const s = await serve();
    expect(s.table('housing')?.routingKey).toEqual({ header: 'x-user-id' });
    const first = new Map<string, string>();
    for (let i = 0; i < 2000; i++) first.set(`user-${i}`, infer(s, `user-${i}`));
    for (let i = 0; i < 2000; i += 7) expect(infer(s, `user-${i}`)).toBe(first.get(`user-${i}`));
    const b = [...first.values()].filter((v) => v === '2').length / first.size;
    expect(Math.abs(b - 0.5)).toBeLessThan(0.05);
  });

  it('gives the shadow a copy of every request and never its answer', async () => {
    const deployments = await setup();
    await deployments.deploy({ name: 'housing', model: 'housing/1', shadow: 'housing/3' });
    const s = await serve();
    const answered = Array.from({ length: 50 }, () => infer(s));
    expect(new Set(answered)).toEqual(new Set(['1']));
    await s.stop(); // drains: every shadow copy has run
    server = undefined;
    const shadow = seen.filter((r) => r.route.role === 'shadow');
    const primary = seen.filter((r) => r.route.role === 'primary');
    expect(primary.map((r) => r.requestId).sort()).toEqual(shadow.map((r) => r.requestId).sort());
    expect(new Set(shadow.map((r) => r.route.version))).toEqual(new Set(['3']));
    expect(shadow[0].predictions[0]).toBeCloseTo(
      models[2].predictColumns(row.map((v) => [v]))[0],
      10,
    );
  });

  it('swaps to the version an alias moved to, with no restart', async () => {
    const deployments = await setup();
    await deployments.deploy({ name: 'housing', model: 'housing@champion' });
    const s = await serve();
    expect(infer(s)).toBe('1');
    await ctx.gyre.dispatcher.drain(); // the follower starts from here
    await ctx.gyre.registry.setAlias('housing', 'champion', 2);
    await ctx.gyre.dispatcher.drain(); // the deployment gets its revision...
    await s.sync(); // ...and the server applies it
    expect(s.table('housing')?.revision).toBe(2);
    expect(infer(s)).toBe('2');
  });
});
