import { silentLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import type { CursorStore } from './cursor-store.js';
import type { EventStore } from './event-store.js';
import type { GyreEvent } from './event-types.js';

/** Something that reacts to events: a pipeline trigger, a monitor, a deployment follower. */
export interface EventConsumer {
  /** Stable name: the consumer's cursor is stored under it. */
  readonly name: string;
  /** Event types it wants; all when omitted. */
  readonly types?: readonly string[];
  /**
   * Handles one event. Delivery is at least once — a crash between handling and saving the
   * cursor delivers the event again — so handlers must be idempotent.
   */
  handle(event: GyreEvent): Promise<void>;
}

export interface EventDispatcherOptions {
  events: EventStore;
  cursors: CursorStore;
  logger?: Logger;
  clock?: Clock;
  /** How often to look for events other processes wrote (default 100 ms). */
  pollIntervalMs?: number;
  /** Attempts at one event before it is logged and skipped (default 5). */
  maxAttempts?: number;
}

const BATCH = 100;

/**
 * Delivers outbox events to registered consumers in id order, each from its own cursor.
 * A new consumer starts after the newest event at its first run: triggers react to what
 * happens from then on, not to history. One pass runs at a time.
 */
export class EventDispatcher {
  private readonly consumers: EventConsumer[] = [];
  private readonly failures = new Map<string, { eventId: number; attempts: number }>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private pass: Promise<boolean> | undefined;
  private again = false;
  private running = false;

  constructor(private readonly options: EventDispatcherOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  register(consumer: EventConsumer): void {
    if (this.consumers.some((c) => c.name === consumer.name))
      throw new Error(`event consumer ${consumer.name} is registered twice`);
    this.consumers.push(consumer);
  }

  /** Starts polling, and wakes at once when this process appends an event. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.events.onAppend(() => void this.wake());
    const tick = (): void => {
      this.timer = setTimeout(() => {
        void this.wake();
        if (this.running) tick();
      }, this.options.pollIntervalMs ?? 100);
      this.timer.unref();
    };
    tick();
    void this.wake();
  }

  /** Stops polling and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.pass;
  }

  /** Delivers everything written so far, then resolves: for one-shot commands and tests. */
  async drain(): Promise<void> {
    while (await this.wake()) {
      // a consumer had a full batch: more may be waiting
    }
  }

  /** Runs a delivery pass, or asks the one in progress to go round again; true when more may wait. */
  private wake(): Promise<boolean> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      let more = false;
      do {
        this.again = false;
        more = await this.deliverAll().catch((error: unknown) => {
          this.logger.error({ err: error }, 'event delivery failed');
          return false;
        });
      } while (this.again);
      return more;
    })().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  /** One batch per consumer; true when some consumer may have more waiting. */
  private async deliverAll(): Promise<boolean> {
    let more = false;
    for (const consumer of this.consumers) {
      if (await this.deliver(consumer)) more = true;
    }
    return more;
  }

  private async deliver(consumer: EventConsumer): Promise<boolean> {
    const { events, cursors } = this.options;
    let cursor = await cursors.get(consumer.name);
    if (cursor === undefined) {
      cursor = await cursors.latestEventId();
      await cursors.set(consumer.name, cursor, this.clock.now());
      return false;
    }
    const batch = await events.list({ afterId: cursor, type: consumer.types, limit: BATCH });
    for (const event of batch) {
      if (!(await this.handleOne(consumer, event))) return false;
      await cursors.set(consumer.name, event.id, this.clock.now());
    }
    return batch.length === BATCH;
  }

  /** False when the event should be tried again later (the cursor stays before it). */
  private async handleOne(consumer: EventConsumer, event: GyreEvent): Promise<boolean> {
    try {
      await consumer.handle(event);
      this.failures.delete(consumer.name);
      return true;
    } catch (error) {
      const previous = this.failures.get(consumer.name);
      const attempts = previous?.eventId === event.id ? previous.attempts + 1 : 1;
      const maxAttempts = this.options.maxAttempts ?? 5;
      const log = { err: error, consumer: consumer.name, eventId: event.id, attempts };
      if (attempts >= maxAttempts) {
        this.failures.delete(consumer.name);
        this.logger.error(log, 'event handler keeps failing; skipping the event');
        return true;
      }
      this.failures.set(consumer.name, { eventId: event.id, attempts });
      this.logger.warn(log, 'event handler failed; will retry');
      return false;
    }
  }
}
