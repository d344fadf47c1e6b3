import { expect, it } from 'vitest';
import { fixedClock } from '../core/index.js';
import { describeEachDatabase } from '../db/test-database.js';
import { metricsToJson } from './metric-json.js';
import { createTrackingService, type TrackingService } from './tracking-service.js';

describeEachDatabase('tracking service', (ctx) => {
  const tracking = (): TrackingService =>
    createTrackingService(ctx.db, fixedClock(1_700_000_000_000, 1));

  it('has the Default experiment "0" and numbers new experiments after it', async () => {
    const t = tracking();
    expect(await t.experiments.get('0')).toMatchObject({
      name: 'Default',
      artifactLocation: 'mlflow-artifacts:/0',
      lifecycleStage: 'active',
    });
    const e = await t.experiments.create({ name: 'housing', tags: [{ key: 'team', value: 'ml' }] });
    expect(e).toMatchObject({
      experimentId: '1',
      artifactLocation: 'mlflow-artifacts:/1',
      tags: { team: 'ml' },
    });
    expect((await t.experiments.getByName('housing')).experimentId).toBe('1');
    await expect(t.experiments.create({ name: 'housing' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(t.experiments.get('42')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.experiments.get('abc')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('deletes and restores experiments with their runs, and refuses runs in a deleted one', async () => {
    const t = tracking();
    const e = await t.experiments.create({ name: 'x' });
    const run = await t.runs.create({ experimentId: e.experimentId });
    await t.experiments.delete(e.experimentId);
    expect((await t.runs.getInfo(run.info.runId)).lifecycleStage).toBe('deleted');
    await expect(t.runs.create({ experimentId: e.experimentId })).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await expect(t.experiments.create({ name: 'x' })).rejects.toThrow(/deleted state/);
    await t.experiments.restore(e.experimentId);
    expect((await t.runs.getInfo(run.info.runId)).lifecycleStage).toBe('active');
    await expect(t.experiments.delete('0')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  it('creates runs with 32-hex ids, generated names and the mlflow.runName tag', async () => {
    const t = tracking();
    const run = await t.runs.create({ tags: [{ key: 'mlflow.parentRunId', value: 'p' }] });
    expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(run.info.artifactUri).toBe(`mlflow-artifacts:/0/${run.info.runId}/artifacts`);
    expect(run.tags).toContainEqual({ key: 'mlflow.runName', value: run.info.runName });
    const named = await t.runs.create({ runName: 'baseline' });
    expect(named.info.runName).toBe('baseline');
    await expect(
      t.runs.create({ runName: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await t.runs.setTag(named.info.runId, 'mlflow.runName', 'renamed');
    expect((await t.runs.getInfo(named.info.runId)).runName).toBe('renamed');
    await t.runs.update(named.info.runId, { runName: 'again', status: 'FINISHED', endTime: 5 });
    const updated = await t.runs.get(named.info.runId);
    expect(updated.info).toMatchObject({ runName: 'again', status: 'FINISHED', endTime: 5 });
    expect(updated.tags).toContainEqual({ key: 'mlflow.runName', value: 'again' });
  });

  it('keeps params write-once: the same value again is fine, another value is refused', async () => {
    const t = tracking();
    const { info } = await t.runs.create({});
    await t.runs.logParam(info.runId, 'lr', '0.1');
    await t.runs.logParam(info.runId, 'lr', '0.1');
    await expect(t.runs.logParam(info.runId, 'lr', '0.2')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    // A refused batch writes nothing at all.
    await expect(
      t.runs.logBatch(info.runId, {
        metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }],
        params: [{ key: 'lr', value: '0.3' }],
      }),
    ).rejects.toThrow(/Changing param values is not allowed/);
    const run = await t.runs.get(info.runId);
    expect(run.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.metrics).toEqual([]);
  });

  it('keeps full metric history with NaN and ±Infinity, and the latest value per key', async () => {
    const t = tracking();
    const { info } = await t.runs.create({});
    await t.runs.logMetric(info.runId, { key: 'loss', value: 1, timestamp: 10, step: 0 });
    await t.runs.logBatch(info.runId, {
      metrics: [
        { key: 'loss', value: NaN, timestamp: 11, step: 1 },
        { key: 'loss', value: 0.5, timestamp: 12, step: 3 },
        { key: 'loss', value: Infinity, timestamp: 13, step: 2 },
        { key: 'gap', value: -Infinity, timestamp: 13, step: 0 },
      ],
    });
    // An older step logged later does not replace the latest value.
    await t.runs.logMetric(info.runId, { key: 'loss', value: 9, timestamp: 99, step: 1 });
    const history = await t.runs.metricHistory(info.runId, 'loss');
    expect(history.items.map((m) => [m.step, m.value])).toEqual([
      [0, 1],
      [1, NaN],
      [1, 9],
      [2, Infinity],
      [3, 0.5],
    ]);
    const run = await t.runs.get(info.runId);
    expect(run.metrics).toEqual([
      { key: 'gap', value: -Infinity, timestamp: 13, step: 0 },
      { key: 'loss', value: 0.5, timestamp: 12, step: 3 },
    ]);
    const first = await t.runs.metricHistory(info.runId, 'loss', { maxResults: 2 });
    expect(first.items).toHaveLength(2);
    const second = await t.runs.metricHistory(info.runId, 'loss', {
      maxResults: 2,
      pageToken: first.nextPageToken,
    });
    const third = await t.runs.metricHistory(info.runId, 'loss', {
      maxResults: 2,
      pageToken: second.nextPageToken,
    });
    expect([...first.items, ...second.items, ...third.items].map((m) => m.step)).toEqual([
      0, 1, 1, 2, 3,
    ]);
    expect(third.nextPageToken).toBeUndefined();
  });

  it('renders a history as JSON identical to the points it holds, paged the same way', async () => {
    const t = tracking();
    const { info } = await t.runs.create({});
    const values = [0.1, NaN, Infinity, -Infinity, 1 / 3, 1e-300, -0, 123456789.12345679, 2];
    await t.runs.logBatch(info.runId, {
      metrics: values.map((value, step) => ({ key: 'v', value, timestamp: 1000 + step, step })),
    });
    const points = (await t.runs.metricHistory(info.runId, 'v')).items;
    const whole = await t.runs.metricHistoryJson(info.runId, 'v');
    expect(JSON.parse(whole.json)).toEqual(JSON.parse(metricsToJson(points)));
    expect(JSON.parse(whole.json)[1]).toEqual({ key: 'v', value: 'NaN', timestamp: 1001, step: 1 });
    expect(JSON.parse(whole.json)[2].value).toBe('Infinity');
    expect(JSON.parse(whole.json)[3].value).toBe('-Infinity');
    expect(whole.nextPageToken).toBeUndefined();
    const seen: unknown[] = [];
    let pageToken: string | undefined;
    do {
      const page = await t.runs.metricHistoryJson(info.runId, 'v', { maxResults: 4, pageToken });
      seen.push(...(JSON.parse(page.json) as unknown[]));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(JSON.parse(whole.json));
    const empty = await t.runs.metricHistoryJson(info.runId, 'none');
    expect([empty.count, JSON.parse(empty.json)]).toEqual([0, []]);
  });

  it('refuses writes to a deleted run and accepts them again once restored', async () => {
    const t = tracking();
    const { info } = await t.runs.create({});
    await t.runs.delete(info.runId);
    await expect(
      t.runs.logMetric(info.runId, { key: 'a', value: 1, timestamp: 1, step: 0 }),
    ).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await expect(t.runs.setTag(info.runId, 'a', 'b')).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await t.runs.restore(info.runId);
    await t.runs.setTag(info.runId, 'a', 'b');
    await expect(
      t.runs.logMetric('f'.repeat(32), { key: 'a', value: 1, timestamp: 1, step: 0 }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("enforces MLflow's limits on keys, values and batch sizes", async () => {
    const t = tracking();
    const { info } = await t.runs.create({});
    await expect(t.runs.logParam(info.runId, '../x', 'v')).rejects.toThrow(/normalized/);
    await expect(t.runs.logParam(info.runId, 'a;b', 'v')).rejects.toThrow(/Invalid param name/);
    await expect(t.runs.logParam(info.runId, 'k'.repeat(251), 'v')).rejects.toThrow(
      /longer than 250/,
    );
    await expect(t.runs.logParam(info.runId, 'p', 'v'.repeat(6001))).rejects.toThrow(
      /limit is 6000/,
    );
    await expect(t.runs.setTag(info.runId, 't', 'v'.repeat(8001))).rejects.toThrow(/limit is 8000/);
    await t.runs.logParam(info.runId, 'ok/key with:colon-1.2', 'v'.repeat(6000));
    const metrics = Array.from({ length: 1001 }, (_, i) => ({
      key: 'm',
      value: i,
      timestamp: 1,
      step: i,
    }));
    await expect(t.runs.logBatch(info.runId, { metrics })).rejects.toThrow(/at most 1000 metrics/);
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    await expect(t.runs.logBatch(info.runId, { params })).rejects.toThrow(/at most 100 params/);
    await t.runs.logBatch(info.runId, { metrics: metrics.slice(0, 1000) });
    expect((await t.runs.metricHistory(info.runId, 'm')).items).toHaveLength(1000);
  });

  it('records dataset inputs and model-version outputs for the registry', async () => {
    const t = tracking();
    const { info } = await t.runs.create({});
    const dataset = {
      name: 'housing',
      digest: 'abc123',
      sourceType: 'local',
      source: '{"uri":"data.csv"}',
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
    };
    await t.runs.logInputs(info.runId, [dataset, dataset]);
    await t.runs.logMetric(info.runId, { key: 'rmse', value: 0.4, timestamp: 1, step: 0 });
    await t.runs.recordModelOutput(info.runId, { name: 'm', version: 1 });
    await t.runs.recordModelOutput(info.runId, { name: 'm', version: 1 });
    expect(await t.runs.getRunSummary(info.runId)).toEqual({
      runId: info.runId,
      artifactUri: info.artifactUri,
      datasets: [{ name: 'housing', digest: 'abc123', context: 'training' }],
      metrics: [{ key: 'rmse', value: 0.4, timestamp: 1, step: 0 }],
    });
    expect((await t.runs.get(info.runId)).outputs).toEqual([
      { kind: 'model_version', name: 'm', version: 1, createdAt: expect.any(Number) },
    ]);
    expect(await t.runs.getRunSummary('0'.repeat(32))).toBeUndefined();
    expect(await t.runs.artifactRoot(info.runId)).toEqual({
      artifactUri: info.artifactUri,
      storePath: `mlflow/0/${info.runId}/artifacts`,
    });
  });

  it("records the run's user: the principal, else userId, else the mlflow.user tag", async () => {
    const t = tracking();
    const tags = [{ key: 'mlflow.user', value: 'from-tag' }];
    const user = async (input: Parameters<typeof t.runs.create>[0]) =>
      (await t.runs.create(input)).info.userId;
    expect(await user({ tags })).toBe('from-tag');
    expect(await user({ tags, userId: 'claimed' })).toBe('claimed');
    expect(await user({ tags, userId: 'claimed', principal: 'signed-in' })).toBe('signed-in');
    expect(await user({})).toBe('');
  });

  it('takes the whole sha256 Gyre prints for a dataset as a digest, and no more', async () => {
    const t = tracking();
    const { info } = await t.runs.create({});
    const sha256 = 'a'.repeat(64);
    const input = (digest: string) => ({
      name: 'housing',
      digest,
      sourceType: 'gyre',
      source: 'housing@1',
      tags: [],
    });
    await t.runs.logInputs(info.runId, [input(sha256)]);
    expect((await t.runs.get(info.runId)).inputs[0].digest).toBe(sha256);
    await expect(t.runs.logInputs(info.runId, [input(`${sha256}0`)])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'datasets[0].dataset.digest is longer than 64 characters',
    });
  });

  it('searches runs by metrics, params, tags, attributes and datasets with paging', async () => {
    const t = tracking();
    const e = await t.experiments.create({ name: 'search' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { info } = await t.runs.create({
        experimentId: e.experimentId,
        runName: `run-${i}`,
        startTime: 1000 + i,
      });
      ids.push(info.runId);
      await t.runs.logBatch(info.runId, {
        metrics: [{ key: 'rmse', value: i / 10, timestamp: 1, step: 0 }],
        params: [{ key: 'model', value: i % 2 === 0 ? 'gbdt' : 'linear' }],
        tags: [{ key: 'x', value: i === 0 ? "a' OR 1=1 --" : 'b' }],
      });
    }
    await t.runs.logInputs(ids[4], [
      { name: 'd', digest: 'dg', sourceType: 's', source: 's', tags: [] },
    ]);
    const search = async (filter: string, orderBy?: string[]) =>
      (await t.runs.search({ experimentIds: [e.experimentId], filter, orderBy })).items.map(
        (r) => r.info.runName,
      );
    expect(await search('')).toEqual(['run-4', 'run-3', 'run-2', 'run-1', 'run-0']);
    expect(await search("metrics.rmse < 0.25 AND params.model = 'gbdt'")).toEqual([
      'run-2',
      'run-0',
    ]);
    expect(await search("tags.x = 'a'' OR 1=1 --'")).toEqual(['run-0']);
    expect(
      await search("attributes.run_name LIKE 'run-%' AND metrics.rmse >= 0.3", [
        'metrics.rmse ASC',
      ]),
    ).toEqual(['run-3', 'run-4']);
    expect(await search("datasets.digest = 'dg'")).toEqual(['run-4']);
    expect(await search(`attributes.run_id IN ('${ids[1]}', '${ids[2]}')`)).toEqual([
      'run-2',
      'run-1',
    ]);
    const page1 = await t.runs.search({ experimentIds: [e.experimentId], maxResults: 2 });
    const page2 = await t.runs.search({
      experimentIds: [e.experimentId],
      maxResults: 2,
      pageToken: page1.nextPageToken,
    });
    expect([...page1.items, ...page2.items].map((r) => r.info.runName)).toEqual([
      'run-4',
      'run-3',
      'run-2',
      'run-1',
    ]);
    await expect(search('metrics.rmse < 0.5 OR 1=1')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('searches experiments by name and tags and lists deleted ones on request', async () => {
    const t = tracking();
    const a = await t.experiments.create({
      name: 'Alpha',
      tags: [{ key: 'team', value: 'vision' }],
    });
    await t.experiments.create({ name: 'alpha-2' });
    const b = await t.experiments.create({ name: 'beta' });
    await t.experiments.delete(b.experimentId);
    const names = async (filter: string, viewType?: 'ALL' | 'DELETED_ONLY') =>
      (await t.experiments.search({ filter, viewType, orderBy: ['name'] })).items.map(
        (x) => x.name,
      );
    expect(await names("name LIKE 'alpha%'")).toEqual(['alpha-2']);
    expect(await names("name ILIKE 'alpha%'")).toEqual(['Alpha', 'alpha-2']);
    expect(await names("tags.team = 'vision'")).toEqual(['Alpha']);
    expect(await names('', 'DELETED_ONLY')).toEqual(['beta']);
    expect((await t.experiments.list('ALL')).map((x) => x.name).sort()).toEqual([
      'Alpha',
      'Default',
      'alpha-2',
      'beta',
    ]);
    await t.experiments.rename(a.experimentId, 'Gamma');
    await expect(t.experiments.rename(a.experimentId, 'alpha-2')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await t.experiments.setTag(a.experimentId, 'team', 'nlp');
    await t.experiments.deleteTag(a.experimentId, 'team');
    await expect(t.experiments.deleteTag(a.experimentId, 'team')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
