// Model validation suites on SQLite and PostgreSQL: a pipeline trains a price model that
// leans on `region` (a column that should not matter), `ml/validate-model` runs slice,
// invariance, directional and baseline checks and stores its report on the run, and the
// gate given the report refuses the candidate with the failed invariance test in its error —
// nothing is registered. Without the invariance check the same candidate passes, and its
// model card shows the suite's outcome.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachGyre } from '../src/test-gyre.js';
import { customerRows, writeCustomerCsv } from './fixtures/governance-data.js';

const invariance = [{ column: 'region', values: ['north'], tolerance: 1 }];
const directional = [{ column: 'income', shift: 20, expect: 'increase' }];

const pipeline = {
  name: 'prices',
  params: { data: { type: 'file' }, suite: { type: 'json' } },
  steps: {
    ingest: { uses: 'data/ingest', with: { source: '${{ params.data }}', name: 'customers' } },
    features: {
      needs: 'ingest',
      uses: 'data/transform',
      with: {
        inputs: { c: '${{ steps.ingest.outputs.dataset }}' },
        sql: 'SELECT income, age, region, price FROM c',
        name: 'customer-features',
      },
    },
    split: {
      needs: 'features',
      uses: 'data/split',
      with: { dataset: '${{ steps.features.outputs.dataset }}' },
    },
    train: {
      needs: 'split',
      uses: 'ml/train',
      with: {
        train: '${{ steps.split.outputs.train }}',
        validation: '${{ steps.split.outputs.validation }}',
        target: 'price',
        params: { numRounds: 30, maxDepth: 3, learningRate: 0.3 },
      },
    },
    check: {
      needs: 'train',
      uses: 'ml/validate-model',
      with: {
        model: '${{ steps.train.outputs.model }}',
        dataset: '${{ steps.split.outputs.test }}',
        target: 'price',
        suite: '${{ params.suite }}',
        baseline: 'models:/prices@champion',
      },
    },
    gate: {
      needs: 'check',
      uses: 'registry/gate',
      with: {
        model: '${{ steps.train.outputs.model }}',
        dataset: '${{ steps.split.outputs.test }}',
        target: 'price',
        validation: '${{ steps.check.outputs.report_json }}',
      },
    },
    register: {
      needs: 'gate',
      uses: 'registry/register',
      with: { model: '${{ steps.train.outputs.model }}', name: 'prices', aliases: ['champion'] },
    },
  },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gyre-validation-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describeEachGyre('model validation suites', (ctx) => {
  it('stops a model that fails an invariance test at the gate, with the report', async () => {
    const { gyre } = ctx;
    const data = writeCustomerCsv(dir, customerRows(1200, 60));
    await gyre.pipelines.register({ spec: pipeline });
    const run = async (suite: Record<string, unknown>) => {
      const done = await (
        await gyre.pipelines.startRun({
          pipeline: 'prices',
          params: { data, suite },
        })
      ).done;
      const detail = await gyre.pipelines.getRun(done.id);
      const step = (name: string) => detail.steps.find((s) => s.step === name)!;
      return { run: done, step };
    };

    const refused = await run({
      slices: { columns: ['region'], threshold: 1000 },
      invariance,
      directional,
      baseline: { tolerance: 0.05 },
    });
    expect(refused.run.status).toBe('failed');
    const report = refused.step('check').outputs!.report_json.value as {
      passed: boolean;
      failures: string[];
      invariance: { column: string; violations: number }[];
      directional: { passed: boolean }[];
      slices: { value: string }[];
    };
    expect(report.passed).toBe(false);
    expect(report.invariance[0]).toMatchObject({ column: 'region', passed: false });
    expect(report.invariance[0].violations).toBeGreaterThan(0);
    expect(report.directional).toEqual([expect.objectContaining({ passed: true })]);
    expect(report.slices.map((s) => s.value)).toEqual(['east', 'north', 'south', 'west']);
    // The report is stored on the step's run as an artifact too.
    const stored = refused.step('check').outputs!.report;
    expect(await gyre.artifacts.stat(String(stored.storePath))).toBeDefined();

    const gate = refused.step('gate');
    expect(gate.status).toBe('failed');
    expect(gate.error).toMatch(
      /model validation failed: invariance region → north: \d+ of \d+ predictions moved by more than 1/,
    );
    expect(refused.step('register').status).toBe('skipped');
    await expect(gyre.registry.getModel('prices')).rejects.toThrow(/not found/);

    const passed = await run({ directional, baseline: { tolerance: 0.05 } });
    expect(passed.run.status).toBe('succeeded');
    const card = await gyre.governance.cards.card('prices', 1);
    expect(card.modelValidation).toEqual([
      expect.objectContaining({ step: 'check', passed: true, failures: [] }),
    ]);
    expect(card.gates).toEqual([expect.objectContaining({ step: 'gate', passed: true })]);
  });
});
