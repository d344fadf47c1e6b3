// Which run states take writes, checked against what docs/errors.md tells users: as in
// MLflow, a finished (failed, killed) run still takes logging; a deleted run takes none.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../db/test-database.js';
import { createTrackingService, type TrackingService } from './tracking-service.js';

/** Every kind of write to a run, by name. */
function writes(t: TrackingService, runId: string): Record<string, () => Promise<unknown>> {
  return {
    logMetric: () => t.runs.logMetric(runId, { key: 'm', value: 1, timestamp: 1, step: 1 }),
    logParam: () => t.runs.logParam(runId, 'p', 'v'),
    setTag: () => t.runs.setTag(runId, 't', 'v'),
    deleteTag: () => t.runs.deleteTag(runId, 't'),
    logBatch: () =>
      t.runs.logBatch(runId, {
        metrics: [{ key: 'm', value: 2, timestamp: 2, step: 2 }],
        tags: [{ key: 't', value: 'v' }],
      }),
    logInputs: () =>
      t.runs.logInputs(runId, [
        { name: 'd', digest: 'abcdef12', sourceType: 'gyre', source: 'd@1', tags: [] },
      ]),
    logModel: () => t.runs.logModel(runId, '{"artifact_path":"model"}'),
    rename: () => t.runs.update(runId, { runName: 'renamed' }),
    setStatus: () => t.runs.update(runId, { status: 'FAILED' }),
  };
}

describeEachDatabase('writes by run state', (ctx) => {
  it('takes every write to a finished run, as MLflow does', async () => {
    const t = createTrackingService(ctx.db);
    const { info } = await t.runs.create({});
    await t.runs.update(info.runId, { status: 'FINISHED', endTime: 2 });
    for (const write of Object.values(writes(t, info.runId))) await write();
    const run = await t.runs.get(info.runId);
    expect(run.metrics).toEqual([{ key: 'm', value: 2, timestamp: 2, step: 2 }]);
    expect(run.info.status).toBe('FAILED');
  });

  it('refuses every write to a deleted run with FAILED_PRECONDITION until it is restored', async () => {
    const t = createTrackingService(ctx.db);
    const { info } = await t.runs.create({});
    await t.runs.setTag(info.runId, 't', 'v');
    await t.runs.delete(info.runId);
    for (const [name, write] of Object.entries(writes(t, info.runId)))
      await expect(write(), name).rejects.toMatchObject({
        code: 'FAILED_PRECONDITION',
        message: `The run ${info.runId} must be in the 'active' state. Current state is deleted.`,
      });
    await t.runs.restore(info.runId);
    await t.runs.logParam(info.runId, 'p', 'v');
  });
});

describe('docs/errors.md', () => {
  it('says FAILED_PRECONDITION is a write to a deleted run, not to a finished one', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const section = /^## `FAILED_PRECONDITION`\n([\s\S]*?)\n## /m.exec(doc)?.[1] ?? '';
    expect(section).toContain('writing to a deleted run');
    expect(section).toMatch(/Logging to a finished run[^.]* is allowed/);
  });
});
