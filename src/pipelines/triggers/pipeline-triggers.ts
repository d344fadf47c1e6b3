import type { Clock, Logger } from '../../core/index.js';
import { EventDispatcher, type CursorStore, type EventStore } from '../../events/index.js';
import type { PipelineService } from '../pipeline-service.js';
import type { RunSupervisor } from '../runner/run-supervisor.js';
import { eventTriggerConsumer } from './event-triggers.js';
import { ScheduleRunner } from './schedule-runner.js';
import type { SchedulerLease } from './scheduler-lease.js';

const TRY_LEASE_MS = 1000;
const SWEEP_MS = 5000;

export interface PipelineTriggersOptions {
  pipelines: PipelineService;
  supervisor: RunSupervisor;
  events: EventStore;
  cursors: CursorStore;
  lease: SchedulerLease;
  clock: Clock;
  logger: Logger;
}

/**
 * A server's background pipeline work. At start it marks runs whose owner died as
 * interrupted. Then it contends for the scheduler lease every second; while it holds it, it
 * runs cron schedules, consumes trigger events from the outbox (its own dispatcher, so only
 * the holder advances the consumer's cursor) and sweeps for runs of owners that went silent.
 */
export class PipelineTriggers {
  private readonly schedules: ScheduleRunner;
  private readonly dispatcher: EventDispatcher;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private lastSweep = 0;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: PipelineTriggersOptions) {
    this.schedules = new ScheduleRunner(options.pipelines, options.clock, options.logger);
    this.dispatcher = new EventDispatcher({
      events: options.events,
      cursors: options.cursors,
      logger: options.logger,
      clock: options.clock,
      pollIntervalMs: 50,
    });
    this.dispatcher.register(eventTriggerConsumer(options.pipelines, options.logger));
  }

  /** True while this process holds the scheduler lease. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Recovers what dead owners left, then starts contending for the lease. */
  async start(scheduler: boolean): Promise<void> {
    await this.recover();
    if (!scheduler || this.stopped) return;
    const tick = () => {
      this.ticking = this.tick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, TRY_LEASE_MS);
      });
    };
    tick();
  }

  private async recover(adoptQueued = false): Promise<void> {
    const interrupted = await this.options.supervisor
      .recover({ adoptQueued })
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'could not recover interrupted pipeline runs');
        return [];
      });
    if (interrupted.length > 0)
      this.options.logger.warn({ runs: interrupted }, 'marked pipeline runs interrupted');
  }

  private async tick(): Promise<void> {
    const { lease, logger, clock } = this.options;
    const held = await lease.tryHold().catch(() => false);
    if (held && !this.leading) {
      this.leading = true;
      logger.info('holding the pipeline scheduler lease: running schedules and triggers');
      this.schedules.start();
      this.dispatcher.start();
    } else if (!held && this.leading) {
      logger.warn('lost the pipeline scheduler lease');
      await this.stepDown();
    }
    if (this.leading && clock.now() - this.lastSweep > SWEEP_MS) {
      this.lastSweep = clock.now();
      await this.recover(true);
    }
  }

  private async stepDown(): Promise<void> {
    this.leading = false;
    await Promise.all([this.schedules.stop(), this.dispatcher.stop()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    if (this.leading) await this.stepDown();
    await this.options.lease.release().catch(() => {});
  }
}
