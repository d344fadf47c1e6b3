// `gyre demo --fast` end to end, as `npm start` runs it: the built CLI starts Gyre on its own
// home, trains and deploys the first fraud model from a landed file, shifts the traffic, and
// the loop turns by Gyre's own machinery — the monitor's drift alert starts the retrain, the
// rollout driver with monitoring's canary analysis promotes it, rolls a broken one back and
// promotes the fixed one — with no failed request. The JSON summary is the contract asserted.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runGyre } from './fixtures/gyre-process.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'gyre-demo-test-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

interface Summary {
  versions: string[];
  canaries: {
    version: string;
    outcome: string;
    candidateAuc?: number;
    primaryAuc?: number;
    failures: string[];
    evidence: string;
    decidedBy: string;
  }[];
  alerts: string[];
  alertRuns: string[];
  milestones: { event: string }[];
  loopLatencyMs?: number;
  driftShare?: number;
  requests: number;
  errors: number;
  urls: Record<string, string>;
}

it(
  'runs the whole story with --fast and reports its milestones',
  { timeout: 180_000 },
  async () => {
    const run = await runGyre(['demo', '--fast', '--json', '--port', '0'], {
      cwd,
      env: { GYRE_DRAIN_DELAY_MS: '0' },
    });
    expect(run.stderr).not.toMatch(/demo failed/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as Summary;
    expect(summary.versions).toEqual(['fraud/1', 'fraud/2', 'fraud/3', 'fraud/4']);
    expect(summary.canaries.map((c) => [c.version, c.outcome])).toEqual([
      ['fraud/2', 'promoted'],
      ['fraud/3', 'rolled-back'],
      ['fraud/4', 'promoted'],
    ]);
    // Gyre's canary analysis decided, and the rollback's evidence is in the deployment history.
    for (const c of summary.canaries) expect(c.decidedBy).toMatch(/canary analysis/);
    const broken = summary.canaries[1];
    expect(broken.failures.length).toBeGreaterThan(0);
    expect(broken.evidence).toMatch(/canary analysis at rollout step \d+ failed: /);
    // The monitor's alert fired and its event started the retrain.
    expect(summary.alerts).toEqual(['fraud-drift']);
    expect(summary.alertRuns).toHaveLength(1);
    expect(summary.driftShare).toBeGreaterThanOrEqual(0.5);
    expect(summary.loopLatencyMs).toBeGreaterThan(0);
    // Swaps, canary steps and the rollback under load dropped no request.
    expect(summary.requests).toBeGreaterThan(100);
    expect(summary.errors).toBe(0);
    const events = summary.milestones.map((m) => m.event).join('\n');
    expect(events).toMatch(/fraud\/1 serves 100%/);
    expect(events).toMatch(/drift alert fraud-drift fired/);
    expect(events).toMatch(/started by the alert/);
    expect(run.stderr).toMatch(
      /loop latency \(new data file landed → retrained model serving as canary\): [0-9.]+s/,
    );
    expect(summary.urls.invocations).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invocations$/);
    // Its own home, never the user's .gyre.
    expect(existsSync(join(cwd, '.gyre'))).toBe(false);
    expect(await readdir(join(cwd, '.gyre-demo'))).toContain('gyre.db');
  },
);

it('refuses a --dir that holds something else rather than wiping it', async () => {
  await writeFile(join(cwd, 'keep.txt'), 'precious');
  const run = await runGyre(['demo', '--fast', '--dir', '.', '--port', '0'], { cwd });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/is not empty and is not a demo home/);
  expect(await readdir(cwd)).toEqual(['keep.txt']);
});
