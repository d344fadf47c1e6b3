// Triggers in a started Gyre, on SQLite and PostgreSQL: a new dataset version, a new model
// version, an alert fired by monitoring (its event contract) and a cron schedule each start
// the pipeline that asks for it — once per event or scheduled time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { KyselyCursorStore } from '../src/events/index.js';
import { MONITORING_ALERT_FIRED, type AlertFiredPayload } from '../src/pipelines/index.js';
import { scheduleKey } from '../src/pipelines/triggers/schedule-runner.js';
import { describeEachGyre } from '../src/test-gyre.js';

describeEachGyre('pipeline triggers', (ctx) => {
  const runsOf = async (pipeline: string) =>
    (await ctx.gyre.pipelines.listRuns({ pipeline })).items;

  it('runs pipelines on new dataset versions, model versions and fired alerts, once per event', async () => {
    const { gyre } = ctx;
    const echo = (name: string, trigger: Record<string, unknown>, value: string) => ({
      name,
      params: { ref: { type: 'string', default: '' } },
      triggers: [{ ...trigger, params: { ref: value } }],
      steps: { show: { run: 'echo "$GYRE_INPUT_REF"', with: { ref: '${{ params.ref }}' } } },
    });
    await gyre.pipelines.register({
      spec: echo('on-data', { dataset: 'events' }, '${{ trigger.ref }}'),
    });
    await gyre.pipelines.register({ spec: echo('on-model', { model: 'm' }, '${{ trigger.ref }}') });
    await gyre.pipelines.register({
      spec: echo('on-alert', { alert: 'drift-high' }, '${{ trigger.deployment }}'),
    });
    gyre.start();
    // The trigger consumer reacts to events after its first cursor: wait until the lease holder set it.
    const cursors = new KyselyCursorStore(gyre.db);
    await expect.poll(() => cursors.get('pipelines.triggers'), { timeout: 15_000 }).toBeDefined();

    const dir = mkdtempSync(join(tmpdir(), 'gyre-trigger-'));
    writeFileSync(join(dir, 'a.csv'), 'x,y\n1,2\n');
    await gyre.data.datasets.ingest({ source: join(dir, 'a.csv'), name: 'events' });
    await gyre.registry.createModel({ name: 'm' });
    await gyre.registry.createVersion({ name: 'm', source: 'file:///nowhere' });
    const alert: AlertFiredPayload = {
      rule: 'drift-high',
      deployment: 'housing-prod',
      severity: 'critical',
    };
    await gyre.events.emit({
      type: MONITORING_ALERT_FIRED,
      subject: 'alert:drift-high',
      payload: alert,
    });
    await gyre.events.emit({
      type: MONITORING_ALERT_FIRED,
      subject: 'alert:other',
      payload: { ...alert, rule: 'other' },
    });

    for (const [pipeline, ref] of [
      ['on-data', 'events@1'],
      ['on-model', 'models:/m/1'],
      ['on-alert', 'housing-prod'],
    ]) {
      await expect
        .poll(async () => (await runsOf(pipeline)).map((r) => r.status), { timeout: 15_000 })
        .toEqual(['succeeded']);
      const [run] = await runsOf(pipeline);
      expect([pipeline, run.trigger.kind, run.params.ref]).toEqual([pipeline, 'event', ref]);
    }
  });

  it('fires a cron schedule once per scheduled time', async () => {
    const { gyre } = ctx;
    await gyre.pipelines.register({
      spec: {
        name: 'every-second',
        triggers: [
          {
            schedule: '* * * * * *',
            timezone: 'Europe/Paris',
            params: { at: '${{ trigger.scheduled_time }}' },
          },
        ],
        params: { at: { type: 'string', default: '' } },
        steps: { tick: { run: 'true' } },
      },
    });
    gyre.start();
    await expect
      .poll(async () => (await runsOf('every-second')).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(3);
    const times = (await runsOf('every-second')).map((r) => String(r.params.at));
    expect(new Set(times).size).toBe(times.length);
    expect(times.every((t) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(t))).toBe(true);
  });

  it('after downtime, catches up the latest missed time once, or skips the missed times', async () => {
    const { gyre } = ctx;
    const hourly = (name: string, missed: 'skip' | 'catch_up') => ({
      name,
      triggers: [
        { schedule: '0 * * * *', missed, params: { at: '${{ trigger.scheduled_time }}' } },
      ],
      params: { at: { type: 'string', default: '' } },
      steps: { tick: { run: 'true' } },
    });
    const now = Date.now();
    for (const [name, missed] of [
      ['catchup', 'catch_up'],
      ['skipper', 'skip'],
    ] as const) {
      const { version } = await gyre.pipelines.register({ spec: hourly(name, missed) });
      const trigger = version.spec.triggers[0] as { schedule: string };
      // The last firing was three and a half hours ago: three hourly times were missed.
      await gyre.pipelines.store.setLastFired(scheduleKey(name, 0, trigger), now - 3.5 * 3_600_000);
    }
    gyre.start();
    await expect
      .poll(async () => (await runsOf('catchup')).map((r) => r.status), { timeout: 15_000 })
      .toEqual(['succeeded']);
    const latest = new Date(Math.floor(now / 3_600_000) * 3_600_000).toISOString();
    expect((await runsOf('catchup'))[0].params.at).toBe(latest);
    const skipped = await gyre.pipelines.store.lastFired(
      scheduleKey('skipper', 0, { schedule: '0 * * * *' }),
    );
    expect(skipped).toBeGreaterThanOrEqual(now);
    expect(await runsOf('skipper')).toEqual([]);
  });

  it('runs a triggered run that no process ever started (its starter crashed)', async () => {
    const { gyre } = ctx;
    await gyre.pipelines.register({ spec: { name: 'orphan', steps: { go: { run: 'true' } } } });
    const { run } = await gyre.pipelines.createRun({ pipeline: 'orphan', fireKey: 'test:1' });
    await gyre.db.kysely
      .withTables<{ pipeline_runs: { id: string; created_at: number } }>()
      .updateTable('pipeline_runs')
      .set({ created_at: Date.now() - 60_000 })
      .where('id', '=', run.id)
      .execute();
    gyre.start();
    await expect
      .poll(async () => (await gyre.pipelines.getRun(run.id)).status, { timeout: 20_000 })
      .toBe('succeeded');
  });
});
