// The loop's front half with the real `gyre up`, on SQLite and PostgreSQL: a file landing in a
// watched directory becomes a dataset version, whose event triggers a pipeline that
// validates, splits, trains and registers a model on exactly that version.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS, createTestDatabaseUrl } from '../src/db/test-database.js';
import { HOUSING_CSV } from './fixtures/data-files.js';
import { runGyre, startGyre } from './fixtures/gyre-process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const PIPELINE = `name: retrain
params:
  data: { type: dataset, default: "houses" }
triggers:
  - dataset: houses
    params: { data: "\${{ trigger.ref }}" }
steps:
  validate:
    uses: data/validate
    with:
      dataset: \${{ params.data }}
      suite: { compare_previous: false, expectations: [{ expect: not_null, column: median_house_value }] }
  split:
    needs: validate
    uses: data/split
    with: { dataset: "\${{ params.data }}" }
  train:
    needs: split
    uses: ml/train
    with:
      train: \${{ steps.split.outputs.train }}
      validation: \${{ steps.split.outputs.validation }}
      target: median_house_value
      params: { numRounds: 20 }
  register:
    needs: train
    uses: registry/register
    with: { model: "\${{ steps.train.outputs.model }}", name: houses-model, aliases: [champion] }
`;

for (const dialect of TEST_DIALECTS) {
  describe(`landing zone to registered model [${dialect}]`, { timeout: 120_000 }, () => {
    it('runs the triggered pipeline end to end on the landed version', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gyre-landing-pipeline-'));
      dirs.push(dir);
      const zone = join(dir, 'incoming');
      mkdirSync(zone);
      const db = await createTestDatabaseUrl(dialect);
      const env = { GYRE_HOME: join(dir, '.gyre'), GYRE_DATABASE_URL: db.url };
      writeFileSync(join(dir, 'retrain.yaml'), PIPELINE);
      expect(
        (await runGyre(['pipelines', 'register', 'retrain.yaml'], { cwd: dir, env })).code,
      ).toBe(0);
      const up = await startGyre(['up', '--port', '0'], { cwd: dir, env });
      const zoneRes = await fetch(`${up.url}/api/v1/landing-zones`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'incoming', uri: zone, datasetName: 'houses' }),
      });
      expect(zoneRes.status).toBe(201);
      // The database is fresh: the trigger consumer's cursor starts before any event.
      const rows = readFileSync(HOUSING_CSV, 'utf8').split('\n').slice(0, 3001).join('\n');
      writeFileSync(join(zone, 'houses.csv'), rows);
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(zone, 'houses.csv'), past, past);

      const runs = async () =>
        (
          (await (await fetch(`${up.url}/api/v1/pipeline-runs?pipeline=retrain`)).json()) as {
            runs: {
              id: string;
              status: string;
              params: { data: string };
              trigger: { kind: string };
            }[];
          }
        ).runs;
      await expect
        .poll(async () => (await runs()).map((r) => r.status), { timeout: 60_000, interval: 250 })
        .toEqual(['succeeded']);
      const [run] = await runs();
      expect(run.trigger.kind).toBe('event');
      expect(run.params.data).toBe('houses@1');
      const model = (await (await fetch(`${up.url}/api/v1/models/houses-model`)).json()) as {
        aliases: Record<string, string> | { alias: string }[];
      };
      expect(JSON.stringify(model.aliases)).toContain('champion');
      expect(await up.stop()).toBe(0);
      await db.drop();
    });
  });
}
