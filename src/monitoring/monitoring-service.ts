// The monitoring domain's service: monitors and their stored window results, on-demand and
// periodic checks, alerts with their actions, and the snapshot every reader shows.
import {
  FailedPreconditionError,
  NotFoundError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '../core/index.js';
import type { DatasetService } from '../data/index.js';
import type { EventStore } from '../events/index.js';
import type { DeploymentService } from '../serving/index.js';
import { runAlertActions, type AlertActionPorts } from './actions/alert-actions.js';
import { applyExternalCheck, type ExternalCheck } from './alerts/external-alert.js';
import { applyAlertRules, type AlertTransition } from './alerts/alert-engine.js';
import type { MonitoringSnapshot } from './monitoring-snapshot.js';
import { parseMonitorInput } from './monitors/monitor-spec.js';
import type { Alert, AlertActionRecord, Monitor, MonitorResult } from './monitors/monitor-types.js';
import type { WindowEvaluator, WindowOverride } from './monitors/window-evaluator.js';
import type { AlertFilter, KyselyAlertStore } from './store/alert-store.js';
import type { KyselyMonitorStore } from './store/monitor-store.js';
import type { MonitoringDb } from './store/monitoring-tables.js';

export interface EvaluateOutcome {
  status: 'checked' | 'skipped';
  /** Why nothing was checked (too few rows, nothing logged yet). */
  reason?: string;
  result?: MonitorResult;
  alerts: { id: string; rule: string; state: Alert['state']; change: AlertTransition['change'] }[];
  actions: AlertActionRecord[];
}

export interface MonitorWithLatest extends Monitor {
  latest?: MonitorResult;
}

export interface MonitoringServiceDeps {
  db: MonitoringDb;
  monitors: KyselyMonitorStore;
  alerts: KyselyAlertStore;
  evaluator: WindowEvaluator;
  events: EventStore;
  deployments: DeploymentService;
  datasets: DatasetService;
  actions: AlertActionPorts;
  clock?: Clock;
  logger?: Logger;
}

const HOUR_MS = 3_600_000;

export class MonitoringService {
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** One check at a time per monitor (the runner and on-demand calls share it). */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: MonitoringServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
  }

  /** Creates a monitor from its definition (see MonitorInput); the deployment must exist. */
  async createMonitor(input: unknown): Promise<Monitor> {
    const { name, spec } = parseMonitorInput(input);
    await this.deps.deployments.get(spec.deployment);
    if (spec.reference.kind === 'dataset')
      await this.deps.datasets.getVersion(spec.reference.dataset);
    return this.deps.monitors.create(name, spec, this.clock.now());
  }

  async getMonitor(name: string): Promise<MonitorWithLatest> {
    const monitor = await this.deps.monitors.get(name);
    if (!monitor) throw new NotFoundError(`monitor ${name} does not exist`, { monitor: name });
    const [latest] = await this.deps.monitors.results(name, 1);
    return { ...monitor, ...(latest ? { latest } : {}) };
  }

  async listMonitors(deployment?: string): Promise<MonitorWithLatest[]> {
    const monitors = await this.deps.monitors.list(deployment);
    const latest = new Map((await this.deps.monitors.latestResults()).map((r) => [r.monitor, r]));
    return monitors.map((m) => ({
      ...m,
      ...(latest.has(m.name) ? { latest: latest.get(m.name) } : {}),
    }));
  }

  async deleteMonitor(name: string): Promise<void> {
    if (!(await this.deps.monitors.delete(name)))
      throw new NotFoundError(`monitor ${name} does not exist`, { monitor: name });
  }

  async results(name: string, limit = 50): Promise<MonitorResult[]> {
    await this.getMonitor(name);
    return this.deps.monitors.results(name, Math.min(Math.max(limit, 1), 1000));
  }

  async result(id: string): Promise<MonitorResult> {
    const result = await this.deps.monitors.result(id);
    if (!result) throw new NotFoundError(`monitor result ${id} does not exist`, { result: id });
    return result;
  }

  /**
   * Checks the monitor's next window now (or `window`, a past range that does not move the
   * cursor): stores the result, moves its alerts and runs the actions of those that fired.
   */
  async evaluate(name: string, window?: WindowOverride): Promise<EvaluateOutcome> {
    const previous = this.running.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.evaluateNow(name, window));
    this.running.set(name, next);
    try {
      return await next;
    } finally {
      if (this.running.get(name) === next) this.running.delete(name);
    }
  }

  private async evaluateNow(name: string, window?: WindowOverride): Promise<EvaluateOutcome> {
    const monitor = await this.getMonitor(name);
    const now = this.clock.now();
    const evaluation = await this.deps.evaluator.evaluate(monitor, now, window);
    if (evaluation.kind === 'skipped')
      return { status: 'skipped', reason: evaluation.reason, alerts: [], actions: [] };
    // Read before the transaction: SQLite has one connection, and the transaction holds it.
    const extras = monitor.spec.alerts.length > 0 ? await this.firedExtras(monitor) : {};
    const { stored, transitions } = await this.deps.db.transaction().execute(async (trx) => {
      const stored = await this.deps.monitors.appendResult(
        trx,
        evaluation.result,
        window ? undefined : evaluation.cursor,
      );
      const transitions = await applyAlertRules(
        trx,
        { alerts: this.deps.alerts, events: this.deps.events, extras },
        monitor.spec.alerts,
        stored,
        now,
      );
      return { stored, transitions };
    });
    const actions: AlertActionRecord[] = [];
    for (const t of transitions) {
      if (t.change !== 'fired') continue;
      this.logger.info({ alert: t.alert.id, rule: t.rule.name, monitor: name }, 'alert fired');
      actions.push(
        ...(await runAlertActions(t.alert, t.rule, {
          alerts: this.deps.alerts,
          ports: this.deps.actions,
          clock: this.clock,
          logger: this.logger,
        })),
      );
    }
    return {
      status: 'checked',
      result: stored,
      alerts: transitions.map((t) => ({
        id: t.alert.id,
        rule: t.rule.name,
        state: t.alert.state,
        change: t.change,
      })),
      actions,
    };
  }

  /** What a retrain needs to know: the monitor's dataset and its latest version. */
  private async firedExtras(monitor: Monitor): Promise<Record<string, unknown>> {
    const reference = monitor.spec.reference;
    if (reference.kind !== 'dataset') return {};
    const name = reference.dataset.split('@')[0];
    try {
      const latest = await this.deps.datasets.getVersion(name);
      return {
        dataset: name,
        dataset_version: latest.version,
        dataset_latest: `${name}@${latest.version}`,
      };
    } catch {
      return { dataset: name };
    }
  }

  /**
   * Moves the alert of a check made outside monitoring (a budget threshold) through the same
   * states and events as a monitor's: fires when it holds, resolves when it stops holding.
   */
  async raiseAlert(check: ExternalCheck): Promise<{ alert?: Alert; change: string }> {
    const now = this.clock.now();
    const outcome = await this.deps.db
      .transaction()
      .execute((trx) =>
        applyExternalCheck(trx, { alerts: this.deps.alerts, events: this.deps.events }, check, now),
      );
    if (outcome.change === 'fired')
      this.logger.info(
        { alert: outcome.alert?.id, rule: check.rule, source: check.source },
        'alert fired',
      );
    return outcome;
  }

  /** Monitors the runner checks: every enabled one. */
  async enabledMonitors(): Promise<Monitor[]> {
    return (await this.deps.monitors.list()).filter((m) => m.spec.enabled);
  }

  async listAlerts(filter: AlertFilter = {}): Promise<Alert[]> {
    return this.deps.alerts.list(filter);
  }

  async getAlert(id: string): Promise<Alert & { actions: AlertActionRecord[] }> {
    const alert = await this.deps.alerts.get(id);
    if (!alert) throw new NotFoundError(`alert ${id} does not exist`, { alert: id });
    return { ...alert, actions: await this.deps.alerts.actions(id) };
  }

  /** Acknowledges an alert: someone is on it. Resolved alerts cannot be acknowledged. */
  async ackAlert(id: string, by: string): Promise<Alert> {
    const alert = await this.getAlert(id);
    if (alert.state === 'resolved')
      throw new FailedPreconditionError(
        `alert ${id} is resolved; there is nothing to acknowledge`,
        {
          alert: id,
        },
      );
    await this.deps.alerts.ack(id, by, this.clock.now());
    return (await this.deps.alerts.get(id))!;
  }

  /** The latest result of every monitor and the alerts not resolved (or resolved within the hour). */
  async snapshot(): Promise<MonitoringSnapshot> {
    const latest = await this.deps.monitors.latestResults();
    // One entry per deployment: its most recently checked monitor.
    const byDeployment = new Map<string, MonitorResult>();
    for (const r of latest) {
      const seen = byDeployment.get(r.deployment);
      if (!seen || r.windowEnd > seen.windowEnd) byDeployment.set(r.deployment, r);
    }
    const alerts = await this.deps.alerts.list({
      resolvedSince: this.clock.now() - HOUR_MS,
      limit: 1000,
    });
    return {
      deployments: [...byDeployment.values()]
        .sort((a, b) => a.deployment.localeCompare(b.deployment))
        .map((r) => ({
          deployment: r.deployment,
          ...(r.modelVersion !== undefined ? { modelVersion: r.modelVersion } : {}),
          windowEnd: r.windowEnd,
          windowRows: r.rows,
          driftShare: r.driftShare,
          datasetDrift: r.datasetDrift,
          features: [...r.features, ...(r.prediction ? [r.prediction] : [])].map((f) => ({
            feature: f.feature,
            method: f.test,
            score: f.score,
            drifted: f.drifted,
          })),
          realized: r.realized.metrics,
          labelledRows: r.realized.labelledRows,
          ...(r.resources
            ? {
                cpuSecondsPer1k: r.resources.cpuSecondsPer1k,
                memoryBytesPer1k: r.resources.memoryBytesPer1k,
                costPer1kUsd: r.resources.costPer1kUsd,
              }
            : {}),
        })),
      alerts: alerts.map((a) => ({
        id: a.id,
        rule: a.rule,
        deployment: a.deployment,
        severity: a.severity,
        state: a.state,
        since: a.since,
      })),
    };
  }
}
