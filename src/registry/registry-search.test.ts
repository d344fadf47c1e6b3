import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openArtifactStore } from '../artifacts/index.js';
import { fixedClock } from '../core/index.js';
import { describeEachDatabase } from '../db/test-database.js';
import { KyselyRegistryStore } from './kysely-registry-store.js';
import { RegistryService } from './registry-service.js';

const RUN_A = 'a'.repeat(32);
const RUN_B = 'b'.repeat(32);

describeEachDatabase('registry search', (ctx) => {
  let dir: string;
  let registry: RegistryService;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gyre-registry-search-'));
    registry = new RegistryService({
      store: new KyselyRegistryStore(ctx.db),
      artifacts: openArtifactStore(dir),
      runs: {
        getRun: async (runId) => ({
          runId,
          artifactUri: `mlflow-artifacts:/1/${runId}/artifacts`,
          datasets: [],
          metrics: [],
        }),
      },
      clock: fixedClock(1_000, 10),
    });
    await registry.createModel({ name: 'Fraud-Detector', tags: { team: 'risk' } });
    await registry.createModel({ name: 'fraud-scorer', tags: { team: 'risk', tier: 'gold' } });
    await registry.createModel({ name: 'churn', tags: { team: 'growth' } });
    await registry.createVersion({ name: 'churn', source: 's3://b/churn/1', runId: RUN_A });
    await registry.createVersion({ name: 'churn', source: 's3://b/churn/2', runId: RUN_B });
    await registry.createVersion({
      name: 'churn',
      source: 's3://b/churn/3',
      runId: RUN_B,
      tags: { validated: 'yes' },
    });
    await registry.createVersion({ name: 'fraud-scorer', source: 'file:///m/1', runId: RUN_A });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const names = async (filter?: string, orderBy?: string[]) =>
    (await registry.searchModels({ filter, orderBy })).items.map((m) => m.name);
  const versions = async (filter?: string, orderBy?: string[]) =>
    (await registry.searchVersions({ filter, orderBy })).items.map((v) => `${v.name}/${v.version}`);

  it('lists models by name by default, with their latest versions', async () => {
    expect(await names()).toEqual(['Fraud-Detector', 'churn', 'fraud-scorer']);
    const page = await registry.searchModels({});
    expect(
      page.items.map((m) => [m.name, m.latestVersions.map((v) => `${v.name}/${v.version}`)]),
    ).toEqual([
      ['Fraud-Detector', []],
      ['churn', ['churn/3']],
      ['fraud-scorer', ['fraud-scorer/1']],
    ]);
  });

  it('matches LIKE case-sensitively and ILIKE case-insensitively on both databases', async () => {
    expect(await names("name LIKE 'fraud%'")).toEqual(['fraud-scorer']);
    expect(await names("name ILIKE 'fraud%'")).toEqual(['Fraud-Detector', 'fraud-scorer']);
    expect(await names("name != 'churn'")).toEqual(['Fraud-Detector', 'fraud-scorer']);
  });

  it('filters on tags, ANDed', async () => {
    expect(await names("tags.team = 'risk'")).toEqual(['Fraud-Detector', 'fraud-scorer']);
    expect(await names("tags.team = 'risk' AND tags.tier = 'gold'")).toEqual(['fraud-scorer']);
    expect(await names("tags.`team` LIKE 'gro%'")).toEqual(['churn']);
  });

  it('treats an injection attempt as a literal value', async () => {
    expect(await names("tags.team = 'a'' OR 1=1 --'")).toEqual([]);
    expect(await names("name = 'churn'' OR ''1''=''1'")).toEqual([]);
    expect(await versions("run_id = 'x'' OR 1=1 --'")).toEqual([]);
  });

  it('orders by timestamps and pages with opaque tokens without overlap', async () => {
    expect(await names(undefined, ['last_updated_timestamp DESC'])).toEqual([
      'fraud-scorer',
      'churn',
      'Fraud-Detector',
    ]);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await registry.searchModels({ maxResults: 2, pageToken: token });
      seen.push(...page.items.map((m) => m.name));
      token = page.nextPageToken;
    } while (token);
    expect(seen).toEqual(['Fraud-Detector', 'churn', 'fraud-scorer']);
  });

  it('searches versions by name, number, run id, source and tags', async () => {
    expect(await versions()).toEqual(['churn/3', 'churn/2', 'churn/1', 'fraud-scorer/1']);
    expect(await versions("name = 'churn' AND version_number > 1")).toEqual(['churn/3', 'churn/2']);
    expect(await versions(`run_id IN ('${RUN_A}')`)).toEqual(['churn/1', 'fraud-scorer/1']);
    expect(await versions("source_path LIKE 's3://b/churn/%'")).toHaveLength(3);
    expect(await versions("tags.validated = 'yes'")).toEqual(['churn/3']);
    expect(await versions(undefined, ['version_number ASC', 'name DESC'])).toEqual([
      'fraud-scorer/1',
      'churn/1',
      'churn/2',
      'churn/3',
    ]);
  });

  it('refuses bad filters, orders and limits with INVALID_ARGUMENT naming the problem', async () => {
    await expect(names("name = 'x' OR name = 'y'")).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/OR/),
    });
    await expect(names('metrics.acc > 1')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(names("owner = 'x'")).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/owner/),
    });
    await expect(names(undefined, ['size DESC'])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(registry.searchModels({ maxResults: 1001 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(registry.searchModels({ pageToken: 'garbage!' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
