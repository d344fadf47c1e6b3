import type { AuditLog, NewAuditEntry } from '../../auth/index.js';
import type { Logger } from '../../core/index.js';

/**
 * Writes audit entries after the response, one at a time in arrival order, so auditing never
 * adds a database write to a request's latency. `flush()` (on shutdown) waits for the queue.
 */
export class AuditWriter {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: AuditLog,
    private readonly logger: Logger,
  ) {}

  write(entry: NewAuditEntry): void {
    this.tail = this.tail.then(() =>
      this.log.append(entry).catch((error: unknown) => {
        // Losing an audit entry is worth an error line, never a failed request.
        this.logger.error({ err: error, action: entry.action }, 'audit entry not written');
      }),
    );
  }

  flush(): Promise<void> {
    return this.tail;
  }
}
