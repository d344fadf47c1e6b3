// The pull-request comment of model CI, built from `gyre run --json` output by the script the
// workflows run (deploy/github-actions/scripts/model-ci-report.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/data-files.js';

const SCRIPT = join(REPO_ROOT, 'deploy/github-actions/scripts/model-ci-report.mjs');

interface Report {
  MARKER: string;
  modelCiReport(o: { candidate: unknown; champion?: unknown }): string;
}

const step = (name: string, status: string, extra: Record<string, unknown> = {}) => ({
  step: name,
  status,
  ...extra,
});
const evaluate = (rmse: number, r2: number) =>
  step('evaluate', 'succeeded', {
    outputs: {
      metrics: { type: 'json', value: { rmse, r2, primary: 'rmse', dataset: 'housing-test@1' } },
    },
  });
const champion = {
  id: 'champ1',
  pipelineName: 'california-housing',
  status: 'succeeded',
  steps: [step('validate', 'succeeded'), evaluate(49722, 0.8066), step('gate', 'succeeded')],
};
const better = {
  id: 'cand1',
  pipelineName: 'california-housing',
  status: 'succeeded',
  steps: [step('validate', 'cached'), evaluate(48000, 0.82), step('gate', 'succeeded')],
};
const worse = {
  id: 'cand2',
  pipelineName: 'california-housing',
  status: 'failed',
  error: 'step gate did not succeed',
  steps: [
    step('validate', 'cached'),
    evaluate(58117, 0.7358),
    step('gate', 'failed', {
      error: 'gate refused the candidate: rmse 58117 does not beat the champion',
    }),
    step('register', 'skipped', { error: 'needs gate, which did not succeed' }),
  ],
};

describe('model CI report', () => {
  let report: Report;
  let dir: string;
  beforeAll(async () => {
    report = (await import(pathToFileURL(SCRIPT).href)) as Report;
    dir = mkdtempSync(join(tmpdir(), 'gyre-model-ci-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows a passing gate and the metrics against the champion', () => {
    const md = report.modelCiReport({ candidate: better, champion });
    expect(md.startsWith(report.MARKER)).toBe(true);
    expect(md).toContain('**Gate: ✅ passed**');
    expect(md).toContain('| rmse | 48000.0 | 49722.0 | ▲ better (-3.5%) |');
    expect(md).toContain('| r2 | 0.82 | 0.8066 | ▲ better (+1.7%) |');
  });

  it('shows a refused gate with its reason and every step', () => {
    const md = report.modelCiReport({ candidate: worse, champion });
    expect(md).toContain(
      '**Gate: ❌ refused** — gate refused the candidate: rmse 58117 does not beat the champion',
    );
    expect(md).toContain('| rmse | 58117.0 | 49722.0 | ▼ worse (+16.9%) |');
    expect(md).toContain('| register | skipped: needs gate, which did not succeed |');
  });

  it('runs as the workflows run it, with or without a champion', () => {
    writeFileSync(join(dir, 'candidate.json'), JSON.stringify(better));
    const run = spawnSync(
      process.execPath,
      [SCRIPT, '--candidate', join(dir, 'candidate.json'), '--champion', join(dir, 'missing.json')],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('| rmse | 48000.0 | — |  |');
    expect(run.stdout).toContain('_No champion: the base branch has no run to compare with._');
    const none = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--candidate <gyre run --json output> is required');
  });
});
