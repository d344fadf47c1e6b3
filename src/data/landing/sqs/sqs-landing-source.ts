// Landing zones in cluster mode: S3 sends an event per new object to SQS, and this source
// turns each event into the same ingestion a polled file gets (LandingService.ingestNamed),
// instead of listing buckets. At least once: a message is deleted only after every file it
// names is registered, a duplicate, or quarantined; the zone's ledger (object key + ETag)
// makes redelivery harmless. A message still failing after `maxReceives` deliveries has its
// file quarantined; one that cannot be handled at all is left for the queue's redrive policy
// to move to the dead-letter queue.
import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGyreError, silentLogger, type Logger } from '../../../core/index.js';
import { QUARANTINE_PREFIX, type LandingOutcome, type LandingService } from '../landing-service.js';
import type { LandingZone } from '../landing-store.js';
import type { LandingQueue, QueueMessage } from './landing-queue.js';
import { parseS3Notification, type S3ObjectEvent } from './s3-event.js';

export interface SqsLandingSourceOptions {
  landing: LandingService;
  queue: LandingQueue;
  /** Long-poll wait per receive, 0-20 s (default 20). */
  waitTimeSeconds?: number;
  /** How long a received message stays hidden while its files are ingested (default 300 s). */
  visibilityTimeoutSeconds?: number;
  /** Deliveries after which a file that keeps failing is quarantined (default 5). */
  maxReceives?: number;
  /** Delay before a failed message is delivered again, per attempt (default 15 s × attempt). */
  retryDelaySeconds?: (attempt: number) => number;
  logger?: Logger;
  onOutcome?: (outcome: LandingOutcome) => void;
}

/** What happened to one message. */
export interface MessageResult {
  messageId: string;
  action: 'deleted' | 'retry' | 'left-for-dead-letter';
  outcomes: LandingOutcome[];
  error?: string;
}

/** The zone an object belongs to: the zone on its bucket with the longest matching prefix. */
export function zoneOfObject(
  zones: LandingZone[],
  bucket: string,
  key: string,
): { zone: LandingZone; path: string } | undefined {
  let best: { zone: LandingZone; path: string; prefix: number } | undefined;
  for (const zone of zones) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(zone.uri);
    if (!m || m[1] !== bucket) continue;
    const prefix = m[2].replace(/\/+$/, '');
    if (prefix && !key.startsWith(`${prefix}/`)) continue;
    if (best && best.prefix >= prefix.length) continue;
    best = { zone, path: prefix ? key.slice(prefix.length + 1) : key, prefix: prefix.length };
  }
  return best && { zone: best.zone, path: best.path };
}

/** Paths a zone never ingests: its own quarantine, hidden files, folder markers. */
function ignoredPath(path: string): boolean {
  return (
    path === '' ||
    path.endsWith('/') ||
    path.startsWith(`${QUARANTINE_PREFIX}/`) ||
    posix.basename(path).startsWith('.')
  );
}

export class SqsLandingSource {
  private readonly logger: Logger;
  private readonly wait: number;
  private readonly visibility: number;
  private readonly maxReceives: number;
  private readonly retryDelay: (attempt: number) => number;
  private loop: Promise<void> | undefined;
  private receiving: AbortController | undefined;
  private stopped = true;

  constructor(private readonly options: SqsLandingSourceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.wait = options.waitTimeSeconds ?? 20;
    this.visibility = options.visibilityTimeoutSeconds ?? 300;
    this.maxReceives = options.maxReceives ?? 5;
    this.retryDelay = options.retryDelaySeconds ?? ((attempt) => 15 * attempt);
  }

  /** Receives one batch (long polling) and handles its messages in order. */
  async receiveOnce(signal?: AbortSignal): Promise<MessageResult[]> {
    const messages = await this.options.queue.receive(
      { max: 10, waitTimeSeconds: this.wait, visibilityTimeoutSeconds: this.visibility },
      signal,
    );
    if (messages.length === 0) return [];
    const zones = await this.options.landing.listZones();
    const results: MessageResult[] = [];
    for (const message of messages) results.push(await this.handle(message, zones));
    return results;
  }

  private async handle(message: QueueMessage, zones: LandingZone[]): Promise<MessageResult> {
    const { messageId, receiptHandle, receiveCount } = message;
    const outcomes: LandingOutcome[] = [];
    // A large file may take longer than the visibility timeout: keep the message hidden.
    const heartbeat = setInterval(
      () =>
        void this.options.queue
          .setVisibility(receiptHandle, this.visibility)
          .catch((err: unknown) =>
            this.logger.warn({ err, messageId }, 'could not extend visibility'),
          ),
      Math.max(1, this.visibility / 2) * 1000,
    );
    try {
      const notification = parseS3Notification(message.body);
      let retry = false;
      if (notification.kind === 'records') {
        for (const event of notification.created) {
          const outcome = await this.ingest(event, zones, receiveCount);
          if (!outcome) continue;
          outcomes.push(outcome);
          this.options.onOutcome?.(outcome);
          if (outcome.status === 'retry') retry = true;
        }
      }
      clearInterval(heartbeat);
      if (retry) {
        await this.options.queue.setVisibility(
          receiptHandle,
          Math.min(this.visibility, this.retryDelay(receiveCount)),
        );
        return { messageId, action: 'retry', outcomes };
      }
      await this.options.queue.delete(receiptHandle);
      return { messageId, action: 'deleted', outcomes };
    } catch (error) {
      clearInterval(heartbeat);
      // Not an S3 notification, or the ledger / store failed: the message stays; after the
      // queue's maxReceiveCount, SQS moves it to the dead-letter queue for a person to read.
      const level = isGyreError(error) && error.isUserError ? 'warn' : 'error';
      this.logger[level](
        { err: error, messageId, receiveCount },
        'landing message not handled; left for redelivery or the dead-letter queue',
      );
      await this.options.queue
        .setVisibility(receiptHandle, Math.min(this.visibility, this.retryDelay(receiveCount)))
        .catch((err: unknown) =>
          this.logger.warn({ err, messageId }, 'could not delay redelivery'),
        );
      return {
        messageId,
        action: 'left-for-dead-letter',
        outcomes,
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async ingest(
    event: S3ObjectEvent,
    zones: LandingZone[],
    receiveCount: number,
  ): Promise<LandingOutcome | undefined> {
    const match = zoneOfObject(zones, event.bucket, event.key);
    if (!match) {
      this.logger.debug({ bucket: event.bucket, key: event.key }, 'object is in no landing zone');
      return undefined;
    }
    if (ignoredPath(match.path)) return undefined;
    return this.options.landing.ingestNamed(
      match.zone,
      { path: match.path, fingerprint: `etag:${event.eTag}`, size: event.size },
      { attempt: receiveCount, maxAttempts: this.maxReceives },
    );
  }

  /** Receives and handles messages until stopped. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.receiving = new AbortController();
      try {
        await this.receiveOnce(this.receiving.signal);
        failures = 0;
      } catch (error) {
        if (this.stopped) break;
        failures++;
        this.logger.warn({ err: error, failures }, 'landing queue receive failed');
        // Back off up to 30 s while the queue is unreachable (stop() cuts the wait short).
        const ms = Math.min(30_000, 1000 * 2 ** (failures - 1));
        await sleep(ms, undefined, { signal: this.receiving.signal }).catch(() => undefined);
      }
    }
  }

  /** Stops receiving (a long poll in flight is aborted; a message being handled finishes). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.receiving?.abort();
    await this.loop;
    this.options.queue.close();
  }
}
