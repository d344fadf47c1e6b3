// `gyre demo`: the closed loop as a story, on a Gyre serving in this process. Everything it
// does, a user could do: files land in a landing zone, a registered pipeline trains, gates,
// registers and deploys; a simulator sends requests and delayed labels (to the feedback
// endpoint) over HTTP. The loop turns by Gyre's own machinery: a monitor on the deployment
// finds the drift, its alert's event starts the retrain, the deploy step ships a canary with
// a rollout plan, and the server's rollout driver with monitoring's canary analysis promotes
// it or rolls it back. The demo only lands files, checks the monitor on demand (so nothing
// waits on the monitor's timer) and reads what Gyre decided.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Gyre } from '../../gyre.js';
import { DemoConsole } from './demo-console.js';
import { TrafficSimulator } from './traffic-simulator.js';
import { FEATURES, generateTransactions, transactionsCsv, type World } from './transactions.js';

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
  /** Realized AUC of the canary and of the stable model, from the deciding analysis. */
  candidateAuc?: number;
  primaryAuc?: number;
  /** The deciding analysis's failed checks (empty when promoted). */
  failures: string[];
  /** The deployment revision's reason, as `gyre deployments history` shows it. */
  evidence: string;
  decidedBy: string;
}

export interface DemoSummary {
  urls: Record<string, string>;
  milestones: { atMs: number; event: string }[];
  versions: string[];
  canaries: CanaryOutcome[];
  /** From the drifted batch's file landing to its model answering as a canary. */
  loopLatencyMs?: number;
  /** Drift share of the window that fired the alert (Gyre's monitor). */
  driftShare?: number;
  /** Alert rules that fired, and the pipeline runs their events started. */
  alerts: string[];
  alertRuns: string[];
  /** Realized AUC per model version in the monitor's latest window. */
  realizedAuc: Record<string, number>;
  requests: number;
  errors: number;
  /** Parts of the loop this run could not show, and why. */
  skipped: string[];
  durationMs: number;
}

const DEPLOYMENT = 'fraud';
const PIPELINE = 'fraud-demo';
const MONITOR = 'fraud-drift';
const DRIFT_RULE = 'fraud-drift';
/** Predictions per monitor window: distance tests need about 1,000 rows to be quiet. */
const WINDOW_ROWS = 1000;
const PIPELINE_FILE = new URL('../../../examples/fraud-demo/pipeline.yaml', import.meta.url);

const percent = (share: number | undefined) =>
  share === undefined ? 'n/a' : `${Math.round(share * 100)}%`;

export async function runDemo(gyre: Gyre, options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const fast = options.fast;
  const summary: DemoSummary = {
    urls: {
      api: `${options.url}/api/docs`,
      invocations: `${options.url}/invocations`,
      oip: `${options.url}/v2/models/${DEPLOYMENT}/infer`,
      metrics: `${options.url}/metrics`,
      deployment: `${options.url}/api/v1/deployments/${DEPLOYMENT}`,
      monitoring: `${options.url}/api/v1/monitoring/snapshot`,
      rollout: `${options.url}/api/v1/deployments/${DEPLOYMENT}/rollout`,
    },
    milestones: [],
    versions: [],
    canaries: [],
    alerts: [],
    alertRuns: [],
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
    requestsPerSecond: 40,
    labelDelayMs: fast ? 500 : 3000,
    signal: options.signal,
  });
  let phase = 'starting';
  // What the console shows, read from Gyre: the monitoring snapshot and the deployment.
  let drift: number | undefined;
  let auc = new Map<string, number>();
  let alertText = '';
  let split = '';
  const readState = async () => {
    const [snapshot, deployment] = await Promise.all([
      fetchJson<Snapshot>(`${options.url}/api/v1/monitoring/snapshot`),
      fetchJson<DeploymentView>(`${options.url}/api/v1/deployments/${DEPLOYMENT}`),
    ]);
    if (deployment)
      split = deployment.current.routes.map((r) => `${r.key} ${r.weight}%`).join(' · ');
    const mine = snapshot?.deployments.find((d) => d.deployment === DEPLOYMENT);
    if (mine) {
      drift = mine.driftShare;
      if (mine.realized.auc !== undefined && mine.modelVersion)
        auc = new Map([[`${DEPLOYMENT}/${mine.modelVersion}`, mine.realized.auc]]);
    }
    alertText = (snapshot?.alerts ?? [])
      .filter((a) => a.deployment === DEPLOYMENT && a.state !== 'resolved')
      .map((a) => `${a.rule} ${a.state}`)
      .join(', ');
  };
  const screen = new DemoConsole(options.out, options.tty, () => ({
    phase,
    split,
    driftShare: drift,
    auc,
    alerts: alertText,
    requests: traffic.requests,
    errors: traffic.errors,
  }));
  const milestone = (event: string) => {
    summary.milestones.push({ atMs: Date.now() - started, event });
    screen.event(event);
  };
  const refresh = setInterval(() => void readState(), 500);
  refresh.unref();

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
      const done = () => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      options.signal.addEventListener('abort', done, { once: true });
    });

  // The landing zone, and the pipeline: registered with its `alert: fraud-drift` trigger.
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
  const stepMs = fast ? 2000 : 15_000;
  spec.params.rollout.default = {
    steps: [
      { weight: 20, pauseMs: stepMs },
      { weight: 50, pauseMs: stepMs },
    ],
  };
  if (fast) spec.params.rounds.default = 40;
  await gyre.pipelines.register({ spec });
  screen.start();
  milestone(
    `Gyre is up at ${options.url} (web UI: ${options.url}/, home ${options.home}); pipeline ${PIPELINE} registered`,
  );

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
  /** Waits for the landing zone to have ingested version `n` of transactions. */
  const datasetVersion = (n: number) =>
    waitFor(`transactions@${n}`, async () => {
      const v = await gyre.data.datasets.getVersion(`transactions@${n}`).catch(() => undefined);
      return v ? `transactions@${n}` : undefined;
    });
  const versionServing = async (version: string, role: 'primary' | 'candidate') =>
    waitFor(`${version} to serve as ${role}`, async () => {
      const d = await gyre.serving.deployments.get(DEPLOYMENT).catch(() => undefined);
      return d?.current.routes.some((r) => r.key === version && r.role === role) ? d : undefined;
    });
  const nextVersion = () => `${DEPLOYMENT}/${summary.versions.length + 1}`;

  /** Checks the monitor's next window now until `done` holds for a checked window. */
  const evaluateUntil = (what: string, done: (r: WindowCheck) => boolean) =>
    waitFor(what, async () => {
      const outcome = await gyre.monitoring.service.evaluate(MONITOR);
      if (outcome.status !== 'checked' || !outcome.result) return undefined;
      const check: WindowCheck = {
        windowStart: outcome.result.windowStart,
        rows: outcome.result.rows,
        driftShare: outcome.result.driftShare,
        alerts: outcome.alerts,
      };
      return done(check) ? check : undefined;
    });

  /**
   * The new version as a canary, then Gyre's decision: the server's rollout driver walks the
   * plan the deploy step set and monitoring's canary analysis judges every step.
   */
  const canary = async (landedAt: number): Promise<number> => {
    const version = nextVersion();
    await versionServing(version, 'candidate');
    await waitFor(`${version} answering requests`, async () =>
      traffic.served(landedAt).has(version) ? true : undefined,
    );
    const latency = Date.now() - landedAt;
    summary.versions.push(version);
    milestone(
      `${version} serves as a canary, ${(latency / 1000).toFixed(1)}s after its data landed; Gyre's rollout driver takes it from here`,
    );
    const outcome = await rolloutOutcome(version, landedAt);
    summary.canaries.push(outcome);
    const aucs = `canary AUC ${outcome.candidateAuc?.toFixed(3) ?? 'n/a'} vs stable ${outcome.primaryAuc?.toFixed(3) ?? 'n/a'}`;
    milestone(
      `${version} ${outcome.outcome} by ${outcome.decidedBy} (${aucs}): ${outcome.evidence}`,
    );
    if (outcome.outcome === 'promoted')
      await gyre.registry.setAlias(DEPLOYMENT, 'champion', version.split('/')[1]);
    return latency;
  };
  const rolloutOutcome = async (version: string, since: number): Promise<CanaryOutcome> => {
    const done = await waitFor(`the rollout of ${version} to finish`, async () => {
      const r = await gyre.monitoring.rollouts.get(DEPLOYMENT).catch(() => undefined);
      return r &&
        r.rollout.createdAt >= since &&
        r.rollout.state !== 'running' &&
        r.rollout.state !== 'paused'
        ? r
        : undefined;
    });
    const deciding = done.analyses
      .filter((a) => a.decision !== 'inconclusive')
      .sort((a, b) => b.createdAt - a.createdAt)[0];
    const evidence = deciding?.evidence as
      | {
          failures?: string[];
          primary?: { realized?: Record<string, number> };
          candidate?: { realized?: Record<string, number> };
        }
      | undefined;
    const history = await gyre.serving.deployments.history(DEPLOYMENT);
    const latest = history.sort((a, b) => b.revision - a.revision)[0];
    const state = done.rollout.state;
    return {
      version,
      outcome:
        state === 'promoted' ? 'promoted' : state === 'rolled-back' ? 'rolled-back' : 'superseded',
      candidateAuc: evidence?.candidate?.realized?.auc,
      primaryAuc: evidence?.primary?.realized?.auc,
      failures: evidence?.failures ?? [],
      evidence: `revision ${latest.revision}: ${latest.reason ?? ''}`,
      decidedBy: "Gyre's canary analysis",
    };
  };
  /** A labelled delivery retrained on, as `gyre run fraud-demo -p dataset=…` would. */
  const retrainOn = async (landedAt: number) => {
    const data = await datasetVersion(batches);
    await gyre.pipelines.startRun({
      pipeline: PIPELINE,
      params: { dataset: data },
      trigger: { kind: 'manual', detail: { by: 'gyre-demo' } },
    });
    await canary(landedAt);
  };

  // 1. The first model: the first delivery lands, the pipeline trains and deploys it.
  phase = 'training the first model';
  await land('baseline', 'the baseline world, ~1% fraud');
  const firstData = await datasetVersion(1);
  await gyre.pipelines.startRun({
    pipeline: PIPELINE,
    params: { dataset: firstData },
    trigger: { kind: 'manual', detail: { by: 'gyre-demo' } },
  });
  const first = nextVersion();
  await versionServing(first, 'primary');
  summary.versions.push(first);
  await gyre.registry.setAlias(DEPLOYMENT, 'champion', 1);
  milestone(
    `pipeline validate → split → train → evaluate → gate → register → deploy: ${first} serves 100%`,
  );

  // Gyre's monitor on the deployment: the first delivery is the reference; a drift share of
  // 0.5 fires the alert whose event the pipeline's `alert: fraud-drift` trigger runs on.
  await gyre.monitoring.service.createMonitor({
    name: MONITOR,
    deployment: DEPLOYMENT,
    reference: { dataset: firstData },
    window: { rows: WINDOW_ROWS },
    columns: [...FEATURES],
    minRows: WINDOW_ROWS,
    task: 'classification',
    alerts: [
      {
        name: DRIFT_RULE,
        when: 'drift_share >= 0.5',
        for: 1,
        severity: 'critical',
        actions: [{ kind: 'pipeline', params: { reason: 'dataset drift' } }],
      },
    ],
  });
  milestone(
    `monitor ${MONITOR} watches ${DEPLOYMENT} against ${firstData}; alert ${DRIFT_RULE}: drift_share >= 0.5 → retrain`,
  );

  await waitFor('the model server to load the model', async () => {
    const ready = await fetch(`${options.url}/v2/models/${DEPLOYMENT}/ready`).catch(
      () => undefined,
    );
    await ready?.text();
    return ready?.ok ? true : undefined;
  });
  traffic.start();
  phase = 'baseline traffic';
  // A baseline window checked by the monitor: no drift, and the cursor moves past it.
  const baseline = await evaluateUntil('a baseline window', () => true);
  drift = baseline.driftShare;
  milestone(`baseline window checked by the monitor: drift share ${percent(baseline.driftShare)}`);
  await pause(fast ? 1000 : 8000);

  // 2. Covariate drift: Gyre's monitor sees it, its alert starts the retrain.
  traffic.world = 'drift';
  phase = 'covariate drift';
  const driftFrom = Date.now();
  milestone('the world shifts: bigger baskets, more online and electronics spending, later hours');
  const driftLanded = await land('drift', 'the drifted weeks, labels confirmed');
  const driftData = await datasetVersion(2);
  const fired = await evaluateUntil(
    'the drift alert',
    (r) => r.windowStart >= driftFrom && r.alerts.some((a) => a.change === 'fired'),
  );
  summary.driftShare = fired.driftShare;
  summary.alerts.push(DRIFT_RULE);
  milestone(
    `drift alert ${DRIFT_RULE} fired: ${percent(fired.driftShare)} of the features drifted (Gyre monitoring, window of ${fired.rows} predictions)`,
  );
  const retrain = await waitFor('the run the alert triggered', async () => {
    const runs = await gyre.pipelines.listRuns({ pipeline: PIPELINE });
    return runs.items.find(
      (r) =>
        r.trigger.kind === 'event' &&
        r.trigger.detail?.type === 'monitoring.alert.fired' &&
        r.trigger.values?.rule === DRIFT_RULE &&
        r.createdAt >= driftLanded,
    );
  });
  summary.alertRuns.push(retrain.id);
  milestone(`pipeline run ${retrain.id.slice(0, 8)} started by the alert: retrain on ${driftData}`);
  summary.loopLatencyMs = await canary(driftLanded);

  // 3. A new fraud pattern: the fraud team sends labelled deliveries and retrains on them.
  traffic.world = 'new-pattern';
  phase = 'new fraud pattern';
  milestone('a new fraud pattern appears: card testing (tiny charges in bursts from new devices)');
  await pause(fast ? 1000 : 8000);
  await retrainOn(
    await land(
      'new-pattern',
      'a labelled batch in which an ETL bug inverted the is_fraud flag',
      true,
    ),
  );
  await retrainOn(await land('new-pattern', 'the same batch, fixed'));

  phase = fast ? 'done' : 'serving (Ctrl-C to stop)';
  clearInterval(refresh);
  await readState();
  screen.stop();
  summary.realizedAuc = Object.fromEntries(auc);
  summary.requests = traffic.requests;
  summary.errors = traffic.errors;
  summary.durationMs = Date.now() - started;
  if (traffic.lastError) summary.skipped.push(`last failed request: ${traffic.lastError}`);
  return summary;
}

/** A failed run of the demo's pipeline since the demo started, if any. */
async function failedRun(gyre: Gyre, since: number) {
  const runs = await gyre.pipelines.listRuns({ pipeline: 'fraud-demo', status: 'failed' });
  return runs.items.find((r) => r.createdAt >= since);
}

interface WindowCheck {
  windowStart: number;
  rows: number;
  driftShare: number;
  alerts: { rule: string; change: string }[];
}

interface Snapshot {
  deployments: {
    deployment: string;
    modelVersion?: string;
    driftShare: number;
    realized: Record<string, number>;
  }[];
  alerts: { rule: string; deployment: string; state: string }[];
}

interface DeploymentView {
  current: { routes: { key: string; weight: number }[] };
}

/** A GET of the API as JSON, or undefined when it does not answer. */
async function fetchJson<T>(url: string): Promise<T | undefined> {
  const response = await fetch(url).catch(() => undefined);
  if (!response?.ok) {
    await response?.text();
    return undefined;
  }
  return (await response.json()) as T;
}
