// Retention on SQLite and PostgreSQL, with a clock moved 400 days on so everything is old: a
// dry run lists old prediction logs, step logs, artifacts of runs that registered nothing and
// dataset versions no registered model used — and deletes nothing; apply deletes exactly that,
// records it in the audit log, and every artifact reachable by lineage from the live
// deployment (its model's files, its training run, the dataset versions upstream) is intact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Clock } from '../src/core/index.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { customerRows, writeCustomerCsv } from './fixtures/governance-data.js';

const DAY = 86_400_000;
const clock: Clock & { at: number } = {
  at: Date.now(),
  now() {
    return this.at;
  },
};

const pipeline = (name: string, register: boolean) => ({
  name,
  params: { data: { type: 'file' } },
  steps: {
    ingest: { uses: 'data/ingest', with: { source: '${{ params.data }}', name } },
    split: {
      needs: 'ingest',
      uses: 'data/split',
      with: { dataset: '${{ steps.ingest.outputs.dataset }}' },
    },
    train: {
      needs: 'split',
      uses: 'ml/train',
      with: {
        train: '${{ steps.split.outputs.train }}',
        target: 'price',
        features: ['income', 'age', 'region'],
        params: { numRounds: 3, maxDepth: 2 },
      },
    },
    ...(register
      ? {
          register: {
            needs: 'train',
            uses: 'registry/register',
            with: { model: '${{ steps.train.outputs.model }}', name },
          },
        }
      : {}),
  },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gyre-retention-'));
  clock.at = Date.now();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describeEachGyre(
  'retention',
  (ctx) => {
    it('deletes old unreferenced artifacts and nothing a live deployment reaches', async () => {
      const { gyre } = ctx;
      const run = async (name: string, seed: number) => {
        const data = writeCustomerCsv(dir, customerRows(300, 5, seed), `${name}-${seed}.csv`);
        const done = await (
          await gyre.pipelines.startRun({ pipeline: name, params: { data } })
        ).done;
        expect(done.status).toBe('succeeded');
      };
      await gyre.pipelines.register({ spec: pipeline('prices', true) });
      await gyre.pipelines.register({ spec: pipeline('scratch', false) });
      await run('prices', 1); // prices/1: deployed below
      await run('prices', 2); // prices/2: registered, not deployed
      await run('scratch', 3);
      await run('scratch', 4);
      await gyre.serving.deployments.deploy({ name: 'live', model: 'prices/1' });
      const oldLog = 'prediction-logs/deployment=live/date=2020-01-01/hour=00/part-1.parquet';
      await gyre.artifacts.put(oldLog, 'not really parquet');

      // Everything reachable from the live deployment, file by file.
      const live = await gyre.registry.getVersion('prices', 1);
      const graph = await gyre.data.lineage.graph('model_version', 'prices@1', 'up');
      const upstream = graph.nodes.filter((n) => n.kind === 'dataset').map((n) => n.label);
      expect(upstream.sort()).toEqual(['prices-train@1', 'prices@1']);
      const reachable: string[] = [];
      const collect = async (prefix: string) => {
        for (const e of await gyre.artifacts.list(prefix, { recursive: true }))
          if (!e.isDir) reachable.push(e.path);
      };
      await collect((await gyre.tracking.runs.artifactRoot(live.runId!)).storePath!);
      await collect((await gyre.registry.resolveModelUri('models:/prices/1')).storePath!);
      for (const ref of upstream)
        reachable.push((await gyre.data.datasets.getVersion(ref)).artifactPath);
      expect(reachable.length).toBeGreaterThan(3);
      const scratchRun = (
        await gyre.tracking.runs.search({
          experimentIds: [
            (await gyre.tracking.experiments.getByName('pipelines/scratch')).experimentId,
          ],
          filter: "tags.`gyre.pipeline.step` = 'train'",
        })
      ).items[0];
      const scratchRoot = (await gyre.tracking.runs.artifactRoot(scratchRun.info.runId)).storePath!;

      clock.at += 400 * DAY;
      const policy = { datasetKeepLatest: 1 };
      const plan = await gyre.governance.retention.plan(policy);
      const targets = plan.items.map((i) => `${i.kind} ${i.target}`);
      expect(targets).toContain(`prediction-log ${oldLog}`);
      expect(targets).toContain(`run-artifacts ${scratchRoot}`);
      expect(targets).toContain('dataset-version scratch@1');
      expect(targets).not.toContain('dataset-version scratch@2');
      expect(targets.some((t) => t.startsWith('step-log '))).toBe(true);
      // Used by a registered model (prices/2) or upstream of the live one: kept.
      for (const kept of ['prices@1', 'prices@2', 'prices-train@1', 'prices-train@2'])
        expect(targets).not.toContain(`dataset-version ${kept}`);
      expect(plan.protected.models).toEqual(['prices/1']);
      expect(plan.protected.runs).toContain(live.runId);
      expect(plan.protected.datasetVersions.sort()).toEqual(['prices-train@1', 'prices@1']);
      expect(plan.totals['prediction-log']).toEqual({ count: 1, bytes: 18 });
      // A dry run deletes nothing.
      expect(await gyre.artifacts.stat(oldLog)).toBeDefined();
      expect((await gyre.artifacts.list(scratchRoot, { recursive: true })).length).toBeGreaterThan(
        0,
      );

      const result = await gyre.governance.retention.apply(policy, 'alice');
      expect(result.failures).toEqual([]);
      expect(result.deleted).toBe(plan.items.length);
      expect(result.bytesFreed).toBe(plan.items.reduce((s, i) => s + i.bytes, 0));
      for (const path of reachable) expect(await gyre.artifacts.stat(path), path).toBeDefined();
      expect(await gyre.artifacts.stat(oldLog)).toBeUndefined();
      expect(await gyre.artifacts.list(scratchRoot, { recursive: true })).toEqual([]);
      const scratch1 = await gyre.data.datasets.getVersion('scratch@1');
      expect(await gyre.artifacts.stat(scratch1.artifactPath)).toBeUndefined();
      // The live model still loads and its card still shows its lineage.
      await gyre.serving.loader.load(await gyre.serving.loader.resolve('models:/prices/1'));
      expect((await gyre.governance.cards.card('prices', 1)).lineage.edges.length).toBeGreaterThan(
        2,
      );

      const audit = await gyre.auth.audit.list({ principal: 'alice' });
      expect(audit.map((a) => a.action).sort()).toEqual([
        'retention apply dataset-version',
        'retention apply prediction-log',
        'retention apply run-artifacts',
        'retention apply step-log',
      ]);
      expect(audit.find((a) => a.action === 'retention apply prediction-log')!.summary).toEqual({
        deleted: 1,
        bytes: 18,
        targets: [oldLog],
      });
      // A second plan finds nothing more to do.
      expect((await gyre.governance.retention.plan(policy)).items).toEqual([]);
    });
  },
  { clock },
);
