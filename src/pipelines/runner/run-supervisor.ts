import { FailedPreconditionError, newHexId, type Clock, type Logger } from '../../core/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { Executor } from '../executors/executor.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import type { PipelineRun } from '../types.js';
import type { ApiEndpoint, ApiLease } from './api-endpoint.js';
import type { PipelineRunner } from './pipeline-runner.js';
import type { RunObserver } from './run-context.js';
import { endTrackingRun } from './tracking-runs.js';
import { HOST_NAME } from '../host-name.js';

const HEARTBEAT_MS = 5_000;
/** An owner silent for this long is dead, wherever it ran. */
export const OWNER_TIMEOUT_MS = 30_000;
const CANCEL_POLL_MS = 250;

export interface SupervisorOptions {
  store: PipelineStore;
  runner: PipelineRunner;
  executor: Executor;
  tracking: TrackingService;
  clock: Clock;
  logger: Logger;
  concurrency: number;
  endpoint?: ApiEndpoint;
}

/**
 * The runs this process executes: it registers the process as their owner (heartbeating, so
 * others can tell it died), hands each run to the runner, relays cancellation requested by
 * any process, and after a crash marks what a dead owner left as interrupted.
 */
export class RunSupervisor {
  readonly ownerId = newHexId();
  private readonly active = new Map<
    string,
    { controller: AbortController; done: Promise<PipelineRun> }
  >();
  private owner: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;

  constructor(private readonly options: SupervisorOptions) {}

  private register(): Promise<void> {
    const { store, clock } = this.options;
    this.owner ??= store.saveOwner({
      id: this.ownerId,
      host: HOST_NAME,
      pid: process.pid,
      startedAt: clock.now(),
      heartbeatAt: clock.now(),
    });
    return this.owner;
  }

  private tick(): void {
    const { store, clock, logger } = this.options;
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        void store
          .heartbeat(this.ownerId, clock.now())
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'pipeline owner heartbeat failed'),
          );
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    if (!this.poller) {
      this.poller = setInterval(() => void this.pollCancellations(), CANCEL_POLL_MS);
      this.poller.unref();
    }
  }

  private async pollCancellations(): Promise<void> {
    for (const [runId, entry] of this.active) {
      const run = await this.options.store.getRun(runId).catch(() => undefined);
      if (run?.cancelRequested) entry.controller.abort('cancelled');
    }
  }

  /** Starts executing a run in this process; resolves when it has reached a final state. */
  async execute(runId: string, observer?: RunObserver): Promise<PipelineRun> {
    const existing = this.active.get(runId);
    if (existing) return existing.done;
    await this.register();
    this.tick();
    if (!(await this.options.store.claimRun(runId, this.ownerId, this.options.clock.now())))
      throw new FailedPreconditionError(
        `pipeline run ${runId} is not queued, or another process runs it`,
        { runId },
      );
    const controller = new AbortController();
    let lease: Promise<ApiLease> | undefined;
    const done = this.options.runner
      .execute(runId, {
        ownerId: this.ownerId,
        signal: controller.signal,
        concurrency: this.options.concurrency,
        observer,
        api: async () => {
          if (!this.options.endpoint) return undefined;
          lease ??= this.options.endpoint.acquire();
          const { url, token } = await lease;
          return { url, ...(token ? { token } : {}) };
        },
      })
      .finally(async () => {
        this.active.delete(runId);
        if (lease) await (await lease.catch(() => undefined))?.release();
      });
    done.catch((error: unknown) =>
      this.options.logger.error({ err: error, runId }, 'pipeline run failed to execute'),
    );
    this.active.set(runId, { controller, done });
    return done;
  }

  /** Cancels a run this process executes at once; others find out by polling. */
  cancelLocal(runId: string): boolean {
    const entry = this.active.get(runId);
    entry?.controller.abort('cancelled');
    return entry !== undefined;
  }

  /** Where `run` steps reach the API from now on (a server sets its own URL at start). */
  setEndpoint(endpoint: ApiEndpoint): void {
    this.options.endpoint = endpoint;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /**
   * Marks runs whose owner died as interrupted: owners on this host whose process is gone, and
   * any owner silent for OWNER_TIMEOUT_MS. Finished steps stay finished; running ones become
   * interrupted and their process groups are killed. Returns the interrupted run ids.
   */
  async recover(options: { adoptQueued?: boolean } = {}): Promise<string[]> {
    const { store, clock, executor, tracking, logger } = this.options;
    const now = clock.now();
    const dead = new Set<string>();
    for (const owner of await store.listOwners()) {
      if (owner.id === this.ownerId) continue;
      const gone = owner.host === HOST_NAME && !pidAlive(owner.pid);
      if (gone || now - owner.heartbeatAt > OWNER_TIMEOUT_MS) dead.add(owner.id);
    }
    const interrupted: string[] = [];
    for (const run of await store.activeRuns()) {
      const orphan = run.ownerId ? dead.has(run.ownerId) : now - run.createdAt > OWNER_TIMEOUT_MS;
      if (!orphan || this.active.has(run.id)) continue;
      if (run.status === 'queued') {
        // Created (a trigger fired) but never started: run it rather than lose it. Only the
        // scheduler's holder adopts, and the claim makes sure one process does.
        if (options.adoptQueued) {
          logger.warn({ runId: run.id }, 'adopting a pipeline run nobody started');
          this.execute(run.id).catch(() => {});
        }
        continue;
      }
      const steps = await store.listSteps(run.id);
      const live = steps.filter((s) => s.status === 'running' || s.status === 'waiting_approval');
      const killed = await executor.reap(live.flatMap((s) => (s.process ? [s.process] : [])));
      for (const s of live) {
        await store.updateStep(run.id, s.step, {
          status: 'interrupted',
          finishedAt: now,
          error: 'its owner stopped',
        });
        if (s.trackingRunId) await endTrackingRun(tracking, s.trackingRunId, 'interrupted', now);
      }
      await store.updateRun(run.id, {
        status: 'interrupted',
        finishedAt: now,
        error: 'the process running it stopped; resume it with gyre pipelines resume',
      });
      if (run.trackingRunId) await endTrackingRun(tracking, run.trackingRunId, 'interrupted', now);
      logger.warn(
        { runId: run.id, killedProcessGroups: killed },
        'pipeline run interrupted: its owner stopped',
      );
      interrupted.push(run.id);
    }
    for (const id of dead) await store.deleteOwner(id);
    return interrupted;
  }

  /** Cancels what still runs here, waits for it, and removes this owner. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.poller);
    for (const entry of this.active.values()) entry.controller.abort('cancelled');
    await Promise.allSettled([...this.active.values()].map((e) => e.done));
    if (this.owner) await this.options.store.deleteOwner(this.ownerId).catch(() => {});
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
