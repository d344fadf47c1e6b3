import { Cron } from 'croner';
import { sha256Hex } from '../../artifacts/index.js';
import { isGyreError, type Clock, type Logger } from '../../core/index.js';
import type { PipelineService } from '../pipeline-service.js';
import type { TriggerSpec } from '../spec/pipeline-spec.js';
import { renderValue } from '../spec/templates.js';

/** Longest sleep between looks, so new or changed schedules are picked up soon. */
const MAX_SLEEP_MS = 1000;
/** How many missed times `catch_up` walks through to find the latest one. */
const MAX_MISSED = 100_000;

type ScheduleTrigger = Extract<TriggerSpec, { schedule: string }>;

interface Schedule {
  key: string;
  pipeline: string;
  version: number;
  trigger: ScheduleTrigger;
  cron: Cron;
  /** The last time fired (or skipped), epoch ms. */
  last: number;
}

/** A schedule's state key; editing the expression or zone starts a new schedule (fresh state). */
export function scheduleKey(pipeline: string, index: number, trigger: ScheduleTrigger): string {
  const digest = sha256Hex(`${trigger.schedule}|${trigger.timezone ?? 'UTC'}`).slice(0, 12);
  return `${pipeline}:${index}:${digest}`;
}

/**
 * Runs the cron schedules of registered pipelines, on the lease holder only. Each firing's
 * idempotency key is the schedule and its time, written with the run, and the schedule's
 * position moves in the same transaction, so a time is never fired twice, across restarts
 * and servers. Times missed while no scheduler ran are skipped, or (missed: catch_up) the
 * latest of them runs once.
 */
export class ScheduleRunner {
  private readonly schedules = new Map<string, Schedule>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly pipelines: PipelineService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedules.clear();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sleep = MAX_SLEEP_MS;
      try {
        await this.refresh();
        for (const s of this.schedules.values()) {
          const due = s.cron.nextRun(new Date(s.last))?.getTime();
          if (due === undefined) continue;
          const now = this.clock.now();
          if (due <= now) await this.fire(s, due);
          else sleep = Math.min(sleep, due - now);
        }
      } catch (error) {
        this.logger.error({ err: error }, 'pipeline schedules failed; trying again');
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(sleep, 5));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Loads the schedules of every pipeline's latest version; new ones start from their state. */
  private async refresh(): Promise<void> {
    const seen = new Set<string>();
    for (const pipeline of await this.pipelines.listPipelines()) {
      const version = await this.pipelines.getVersion(pipeline.name);
      for (const [index, trigger] of version.spec.triggers.entries()) {
        if (!('schedule' in trigger)) continue;
        const key = scheduleKey(pipeline.name, index, trigger);
        seen.add(key);
        const known = this.schedules.get(key);
        if (known) {
          known.version = version.version;
          known.trigger = trigger;
          continue;
        }
        const cron = new Cron(trigger.schedule, {
          timezone: trigger.timezone ?? 'UTC',
          paused: true,
        });
        const schedule = {
          key,
          pipeline: pipeline.name,
          version: version.version,
          trigger,
          cron,
          last: 0,
        };
        schedule.last = await this.startingPoint(schedule);
        this.schedules.set(key, schedule);
      }
    }
    for (const key of this.schedules.keys()) if (!seen.has(key)) this.schedules.delete(key);
  }

  /** Where a schedule resumes: never fired → now; missed times → skipped, or the latest run once. */
  private async startingPoint(s: Schedule): Promise<number> {
    const now = this.clock.now();
    const last = await this.pipelines.store.lastFired(s.key);
    if (last === undefined) {
      await this.pipelines.store.setLastFired(s.key, now);
      return now;
    }
    let missed: number | undefined;
    let at = last;
    for (let i = 0; i < MAX_MISSED; i++) {
      const next = s.cron.nextRun(new Date(at))?.getTime();
      if (next === undefined || next > now) break;
      missed = at = next;
    }
    if (missed === undefined) return last;
    if (s.trigger.missed === 'catch_up') {
      this.logger.info(
        { pipeline: s.pipeline, missed: new Date(missed).toISOString() },
        'catching up a missed schedule once',
      );
      await this.fire(s, missed);
      return missed;
    }
    this.logger.info(
      { pipeline: s.pipeline, since: new Date(last).toISOString() },
      'skipping missed schedule times',
    );
    await this.pipelines.store.setLastFired(s.key, now);
    return now;
  }

  private async fire(s: Schedule, due: number): Promise<void> {
    const values = { scheduled_time: new Date(due).toISOString(), schedule: s.trigger.schedule };
    const params = renderValue(s.trigger.params ?? {}, (path) =>
      path[0] === 'trigger' ? values[path[1] as keyof typeof values] : undefined,
    );
    try {
      const { run, created } = await this.pipelines.startRun({
        pipeline: s.pipeline,
        version: s.version,
        params: params as Record<string, unknown>,
        trigger: {
          kind: 'schedule',
          detail: {
            schedule: s.trigger.schedule,
            timezone: s.trigger.timezone ?? 'UTC',
            scheduledTime: values.scheduled_time,
          },
          values,
        },
        fireKey: `schedule:${s.key}:${due}`,
        schedule: { key: s.key, firedAt: due },
      });
      s.last = due;
      if (created)
        this.logger.info(
          { pipeline: s.pipeline, runId: run.id, scheduledTime: values.scheduled_time },
          'scheduled pipeline run',
        );
    } catch (error) {
      if (!(isGyreError(error) && error.isUserError)) throw error;
      // A schedule that cannot make a run (bad params) moves on rather than retrying forever.
      await this.pipelines.store.setLastFired(s.key, due);
      s.last = due;
      this.logger.warn({ pipeline: s.pipeline, err: error }, 'schedule could not start a run');
    }
  }
}
