import type { Logger } from '../../core/index.js';
import type { EventStore, GyreEvent } from '../../events/index.js';

export interface EventTailOptions {
  events: EventStore;
  types: readonly string[];
  /** The newest event id now: where the tail starts. */
  from: number;
  pollIntervalMs: number;
  logger: Logger;
  handle(event: GyreEvent): Promise<void>;
}

/**
 * Follows the outbox from an id onwards without a stored cursor: what every serving process
 * does for itself (many processes, one shared database, each must see every change). Wakes at
 * once on appends in this process and polls for the others'.
 */
export class EventTail {
  private cursor: number;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private running = false;

  constructor(private readonly options: EventTailOptions) {
    this.cursor = options.from;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.events.onAppend(() => void this.wake());
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.wake().finally(() => this.running && tick());
      }, this.options.pollIntervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.pass;
  }

  /** Reads and handles everything appended so far; resolves when caught up. */
  wake(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      do {
        this.again = false;
        await this.readAll().catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'following events failed; will retry'),
        );
      } while (this.again);
    })().finally(() => {
      this.pass = undefined;
    });
    return this.pass;
  }

  private async readAll(): Promise<void> {
    for (;;) {
      const batch = await this.options.events.list({
        afterId: this.cursor,
        type: this.options.types,
        limit: 500,
      });
      for (const event of batch) {
        await this.options.handle(event);
        this.cursor = event.id;
      }
      if (batch.length < 500) return;
    }
  }
}
