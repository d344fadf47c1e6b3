// `gyre demo`: the closed loop as a story, on a Gyre serving in this process. Everything it
// does, a user could do: files land in a landing zone, a registered pipeline (triggered by the
// new dataset version) trains, gates, registers and deploys; a simulator sends requests and
// delayed labels over HTTP. The canary analysis is monitoring's when the server has it
// (GET /api/v1/monitoring/snapshot answers); until then the demo judges each rollout step
// itself from realized AUC and says so.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Gyre } from '../../gyre.js';
import { runRollout, type RolloutDecision } from '../../serving/index.js';
import { DemoConsole } from './demo-console.js';
import { TrafficSimulator } from './traffic-simulator.js';
import { driftShare } from './traffic-drift.js';
import { generateTransactions, transactionsCsv, type World } from './transactions.js';

export interface DemoOptions {
  fast: boolean;
  seed: number;
  home: string;
  url: string;
  out: { write(text: string): unknown };
  tty: boolean;
  signal: AbortSignal;
}

export interface CanaryOutcome {
  version: string;
  outcome: 'promoted' | 'rolled-back' | 'superseded';
  candidateAuc?: number;
  primaryAuc?: number;
  decidedBy: string;
}

export interface DemoSummary {
  urls: Record<string, string>;
  milestones: { atMs: number; event: string }[];
  versions: string[];
  canaries: CanaryOutcome[];
  /** From the drifted batch's file landing to its model answering as a canary. */
  loopLatencyMs?: number;
  driftShare?: number;
  driftSource?: string;
  realizedAuc: Record<string, number>;
  requests: number;
  errors: number;
  /** Parts of the loop this server could not show, and why. */
  skipped: string[];
  durationMs: number;
}

const DEPLOYMENT = 'fraud';
const PIPELINE_FILE = new URL('../../../examples/fraud-demo/pipeline.yaml', import.meta.url);

export async function runDemo(gyre: Gyre, options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const fast = options.fast;
  const scale = fast ? 1 : 4;
  const summary: DemoSummary = {
    urls: {
      api: `${options.url}/api/docs`,
      invocations: `${options.url}/invocations`,
      oip: `${options.url}/v2/models/${DEPLOYMENT}/infer`,
      metrics: `${options.url}/metrics`,
      deployment: `${options.url}/api/v1/deployments/${DEPLOYMENT}`,
    },
    milestones: [],
    versions: [],
    canaries: [],
    realizedAuc: {},
    requests: 0,
    errors: 0,
    skipped: [],
    durationMs: 0,
  };
  const traffic = new TrafficSimulator({
    baseUrl: options.url,
    deployment: DEPLOYMENT,
    model: DEPLOYMENT,
    seed: options.seed,
    rowsPerRequest: 50,
    concurrency: 4,
    labelDelayMs: fast ? 500 : 3000,
    signal: options.signal,
  });
  let phase = 'starting';
  let drift: number | undefined;
  let phaseStart = Date.now();
  const splitText = async () => {
    const d = await gyre.serving.deployments.get(DEPLOYMENT).catch(() => undefined);
    return d ? d.current.routes.map((r) => `${r.key} ${r.weight}%`).join(' · ') : '';
  };
  let split = '';
  const screen = new DemoConsole(options.out, options.tty, () => ({
    phase,
    split,
    driftShare: drift,
    auc: traffic.realizedAuc(phaseStart),
    requests: traffic.requests,
    errors: traffic.errors,
  }));
  const milestone = (event: string) => {
    summary.milestones.push({ atMs: Date.now() - started, event });
    screen.event(event);
  };
  const refresh = setInterval(() => {
    void splitText().then((s) => (split = s));
  }, 300);
  refresh.unref();

  const monitoring = await hasMonitoring(options.url);
  if (!monitoring)
    summary.skipped.push(
      'monitoring (drift alerts, label joins, canary analysis) is not in this build: the demo measured drift and realized AUC from its own traffic and judged the canaries itself',
    );

  const waitFor = async <T>(
    what: string,
    check: () => Promise<T | undefined>,
    timeoutMs = 90_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      options.signal.throwIfAborted();
      const failed = await failedRun(gyre, started);
      if (failed) throw new Error(`pipeline run ${failed.id} failed: ${failed.error ?? ''}`);
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      options.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  // The landing zone and the pipeline that new files trigger.
  const landing = join(options.home, 'landing');
  await mkdir(landing, { recursive: true });
  await gyre.data.landing.createZone({
    name: 'transactions',
    uri: landing,
    datasetName: 'transactions',
  });
  const spec = parse(await readFile(PIPELINE_FILE, 'utf8')) as {
    params: Record<string, { default?: unknown }>;
  };
  const stepMs = fast ? 2500 : 15_000;
  spec.params.rollout.default = {
    steps: [
      { weight: 20, pauseMs: stepMs },
      { weight: 50, pauseMs: stepMs },
    ],
  };
  if (fast) spec.params.rounds.default = 40;
  await gyre.pipelines.register({ spec });
  screen.start();
  milestone(`Gyre is up at ${options.url} (home ${options.home}); pipeline fraud-demo registered`);

  let batches = 0;
  const land = async (world: World, note: string, broken = false) => {
    const rows = generateTransactions({
      rows: fast ? 12_000 : 50_000,
      seed: options.seed + 101 * ++batches,
      world,
    });
    const name = `transactions-${String(batches).padStart(2, '0')}.csv`;
    // Written under a dot name (never picked up), then renamed: the zone sees it whole.
    await writeFile(join(landing, `.${name}`), transactionsCsv(rows, broken));
    await rename(join(landing, `.${name}`), join(landing, name));
    milestone(`landed ${name}: ${rows.length} labelled transactions (${note})`);
    return Date.now();
  };
  const versionServing = async (version: string, role: 'primary' | 'candidate') =>
    waitFor(`${version} to serve as ${role}`, async () => {
      const d = await gyre.serving.deployments.get(DEPLOYMENT).catch(() => undefined);
      return d?.current.routes.some((r) => r.key === version && r.role === role) ? d : undefined;
    });
  const nextVersion = () => `${DEPLOYMENT}/${summary.versions.length + 1}`;

  // 1. The first model.
  phase = 'training the first model';
  await land('baseline', 'the baseline world, ~1% fraud');
  const first = nextVersion();
  await versionServing(first, 'primary');
  summary.versions.push(first);
  await gyre.registry.setAlias(DEPLOYMENT, 'champion', 1);
  milestone(
    `pipeline validate → split → train → evaluate → gate → register → deploy: ${first} serves 100%`,
  );

  await waitFor('the model server to load the model', async () => {
    const ready = await fetch(`${options.url}/v2/models/${DEPLOYMENT}/ready`).catch(
      () => undefined,
    );
    await ready?.text();
    return ready?.ok ? true : undefined;
  });
  traffic.start();
  await waitFor('traffic answered by the model', async () =>
    traffic.requests > 0 ? true : undefined,
  );
  phase = 'baseline traffic';
  phaseStart = Date.now();
  await pause(3000 * scale);

  // 2. Covariate drift.
  const reference = generateTransactions({
    rows: 3000,
    seed: options.seed + 101,
    world: 'baseline',
  });
  traffic.world = 'drift';
  phase = 'covariate drift';
  phaseStart = Date.now();
  milestone('the world shifts: bigger baskets, more online and electronics spending, later hours');
  const driftTimer = setInterval(() => {
    drift = driftShare(reference, traffic.recent.slice(-1500));
  }, 500);
  driftTimer.unref();
  await waitFor('dataset drift', async () =>
    drift !== undefined && drift >= 0.5 ? true : undefined,
  );
  summary.driftShare = drift;
  summary.driftSource = monitoring ? 'gyre monitoring' : 'the demo traffic drift check';
  milestone(
    `drift alert: ${Math.round(drift! * 100)}% of the features drifted (${summary.driftSource}) → retrain on fresh labelled data`,
  );
  const canary = async (world: World, note: string, broken = false) => {
    const landedAt = await land(world, note, broken);
    const version = nextVersion();
    await versionServing(version, 'candidate');
    await waitFor(`${version} answering requests`, async () =>
      traffic.served(landedAt).has(version) ? true : undefined,
    );
    const latency = Date.now() - landedAt;
    summary.versions.push(version);
    milestone(
      `${version} serves as a canary (20%), ${(latency / 1000).toFixed(1)}s after its data landed`,
    );
    const outcome = await judgeCanary(version, Date.now());
    summary.canaries.push(outcome);
    const aucs = `candidate AUC ${outcome.candidateAuc?.toFixed(3) ?? 'n/a'} vs ${outcome.primaryAuc?.toFixed(3) ?? 'n/a'}`;
    milestone(`${version} ${outcome.outcome} (${aucs}; decided by ${outcome.decidedBy})`);
    if (outcome.outcome === 'promoted')
      await gyre.registry.setAlias(DEPLOYMENT, 'champion', version.split('/')[1]);
    return latency;
  };
  const judgeCanary = async (version: string, since: number): Promise<CanaryOutcome> => {
    let last: { candidate?: number; primary?: number } = {};
    const analysis = async (): Promise<RolloutDecision> => {
      const current = await gyre.serving.deployments.get(DEPLOYMENT);
      const primary = current.current.routes.find((r) => r.role === 'primary')!.key;
      const auc = traffic.realizedAuc(since, Date.now(), 5);
      last = { candidate: auc.get(version), primary: auc.get(primary) };
      if (last.candidate === undefined || last.primary === undefined) return 'continue';
      return last.candidate < last.primary - 0.03 ? 'rollback' : 'continue';
    };
    const result = await runRollout(gyre.serving.deployments, DEPLOYMENT, undefined, {
      analysis,
      createdBy: 'gyre-demo',
      signal: options.signal,
    });
    return {
      version,
      outcome: result.outcome,
      candidateAuc: last.candidate,
      primaryAuc: last.primary,
      decidedBy: 'the demo (realized AUC, canary vs stable)',
    };
  };
  summary.loopLatencyMs = await canary('drift', 'last weeks of drifted traffic, labels confirmed');
  clearInterval(driftTimer);

  // 3. A new fraud pattern.
  traffic.world = 'new-pattern';
  phase = 'new fraud pattern';
  phaseStart = Date.now();
  milestone('a new fraud pattern appears: card testing (tiny charges in bursts from new devices)');
  await pause(3000 * scale);
  const auc = traffic.realizedAuc(phaseStart);
  milestone(
    `realized AUC on the new traffic: ${[...auc].map(([v, a]) => `${v} ${a.toFixed(3)}`).join(', ') || 'n/a'} → retrain`,
  );
  await canary(
    'new-pattern',
    'a labelled batch in which an ETL bug swapped distance_from_home_km and device_age_days',
    true,
  );
  await canary('new-pattern', 'the same batch, fixed');

  phase = fast ? 'done' : 'serving (Ctrl-C to stop)';
  clearInterval(refresh);
  split = await splitText();
  screen.stop();
  summary.realizedAuc = Object.fromEntries(traffic.realizedAuc(phaseStart));
  summary.requests = traffic.requests;
  summary.errors = traffic.errors;
  summary.durationMs = Date.now() - started;
  if (traffic.lastError) summary.skipped.push(`last failed request: ${traffic.lastError}`);
  if (!traffic.feedbackSupported)
    summary.skipped.push(
      'label feedback: this server has no POST /api/v1/deployments/{name}/feedback; labels stayed in the simulator',
    );
  return summary;
}

/** A failed run of the demo's pipeline since the demo started, if any. */
async function failedRun(gyre: Gyre, since: number) {
  const runs = await gyre.pipelines.listRuns({ pipeline: 'fraud-demo', status: 'failed' });
  return runs.items.find((r) => r.createdAt >= since);
}

async function hasMonitoring(url: string): Promise<boolean> {
  const response = await fetch(`${url}/api/v1/monitoring/snapshot`).catch(() => undefined);
  await response?.text();
  return response?.ok === true;
}
