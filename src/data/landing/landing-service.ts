import { posix } from 'node:path';
import type { ArtifactStore } from '../../artifacts/index.js';
import {
  isGyreError,
  NotFoundError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '../../core/index.js';
import type { DatasetService } from '../dataset-service.js';
import { ValidationFailedError } from '../ingest/register-table.js';
import type { OpenStore } from '../ingest/materialize-source.js';
import { checkDatasetName } from '../refs.js';
import type { DatasetVersion } from '../types.js';
import { parseSuite } from '../validation/suite.js';
import {
  ledgerKey,
  type LandingFile,
  type LandingZone,
  type LandingZoneStore,
} from './landing-store.js';

/** Where quarantined files and their reports go, inside the zone itself. */
export const QUARANTINE_PREFIX = '_quarantine';

/** Internal (not the file's) failures are retried this many polls before quarantining. */
const MAX_ATTEMPTS = 3;

export interface LandingOutcome {
  zone: string;
  path: string;
  status: 'registered' | 'duplicate' | 'quarantined' | 'retry';
  version?: DatasetVersion;
  error?: string;
}

export interface LandingServiceOptions {
  datasets: DatasetService;
  store: LandingZoneStore;
  openStore: OpenStore;
  logger?: Logger;
  clock?: Clock;
  /** A file modified more recently than this is still being written; wait (default 1 s). */
  settleMs?: number;
}

/** Landing zones: watched places where each new file becomes a new dataset version. */
export class LandingService {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly settleMs: number;
  private readonly attempts = new Map<string, number>();

  constructor(private readonly options: LandingServiceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.settleMs = options.settleMs ?? 1000;
  }

  async createZone(zone: {
    name: string;
    uri: string;
    datasetName: string;
    suiteYaml?: string;
  }): Promise<LandingZone> {
    checkDatasetName(zone.name, 'zone name');
    checkDatasetName(zone.datasetName, 'dataset');
    if (zone.suiteYaml !== undefined) parseSuite(zone.suiteYaml, `suite of zone ${zone.name}`);
    // Opening the store checks the URI's scheme; listing checks it can be reached.
    await this.options.openStore(zone.uri).list('');
    return this.options.store.createZone(zone);
  }

  async listZones(): Promise<LandingZone[]> {
    return this.options.store.listZones();
  }

  async getZone(name: string): Promise<LandingZone> {
    const zone = await this.options.store.getZone(name);
    if (!zone) throw new NotFoundError(`landing zone ${name} does not exist`, { zone: name });
    return zone;
  }

  async listFiles(name: string, limit?: number): Promise<LandingFile[]> {
    await this.getZone(name);
    return this.options.store.listFiles(name, limit);
  }

  /**
   * Processes every new file in every zone (or one zone), oldest path first. `skip` leaves
   * out zones fed another way (S3 zones whose events arrive through SQS).
   */
  async pollOnce(
    zoneName?: string,
    skip?: (zone: LandingZone) => boolean,
  ): Promise<LandingOutcome[]> {
    const zones = zoneName ? [await this.getZone(zoneName)] : await this.listZones();
    const outcomes: LandingOutcome[] = [];
    for (const zone of zones) {
      if (!zoneName && skip?.(zone)) continue;
      try {
        outcomes.push(...(await this.pollZone(zone)));
      } catch (error) {
        // An unreachable zone must not stop the others; it is tried again next poll.
        this.logger.warn({ zone: zone.name, err: error }, 'landing zone poll failed');
      }
    }
    return outcomes;
  }

  /**
   * Ingests one file an event names (an S3 notification), through the same path as a polled
   * file, unless the zone's ledger already has it (`undefined`). `delivery` is how many times
   * the event has been delivered: an internal failure is retried by redelivery, and at
   * `maxAttempts` the file is quarantined instead.
   */
  async ingestNamed(
    zone: LandingZone,
    file: { path: string; fingerprint: string; size: number },
    delivery: { attempt: number; maxAttempts: number },
  ): Promise<LandingOutcome | undefined> {
    const done = await this.options.store.processedKeys(zone.name);
    if (done.has(ledgerKey(file.path, file.fingerprint))) return undefined;
    const store = this.options.openStore(zone.uri);
    const info = await store.stat(file.path);
    // Deleted or overwritten since the event: a later event (if any) names the current object.
    if (!info || info.size !== file.size) return undefined;
    return this.processFile(zone, store, file.path, file.fingerprint, file.size, delivery);
  }

  private async pollZone(zone: LandingZone): Promise<LandingOutcome[]> {
    const store = this.options.openStore(zone.uri);
    const done = await this.options.store.processedKeys(zone.name);
    const entries = (await store.list('', { recursive: true }))
      .filter((e) => !e.isDir)
      .filter((e) => !e.path.startsWith(`${QUARANTINE_PREFIX}/`))
      .filter((e) => !posix.basename(e.path).startsWith('.'));
    const outcomes: LandingOutcome[] = [];
    for (const entry of entries) {
      const info = await store.stat(entry.path);
      if (!info) continue;
      const modified = info.lastModified?.getTime() ?? 0;
      const fingerprint = `${info.size}:${modified}`;
      if (done.has(ledgerKey(entry.path, fingerprint))) continue;
      if (this.clock.now() - modified < this.settleMs) continue;
      outcomes.push(await this.processFile(zone, store, entry.path, fingerprint, info.size));
    }
    return outcomes;
  }

  private async processFile(
    zone: LandingZone,
    store: ArtifactStore,
    path: string,
    fingerprint: string,
    size: number,
    delivery?: { attempt: number; maxAttempts: number },
  ): Promise<LandingOutcome> {
    const key = `${zone.name}\0${ledgerKey(path, fingerprint)}`;
    try {
      const suite = zone.suiteYaml
        ? {
            suite: parseSuite(zone.suiteYaml, `suite of zone ${zone.name}`),
            name: `zone ${zone.name}`,
          }
        : undefined;
      const result = await this.options.datasets.ingest({
        source: store.uriOf(path),
        name: zone.datasetName,
        createdBy: `landing-zone:${zone.name}`,
        suite,
        landing: { zoneName: zone.name, path, fingerprint, size },
      });
      this.attempts.delete(key);
      this.logger.info(
        {
          zone: zone.name,
          path,
          dataset: zone.datasetName,
          version: result.version.version,
          created: result.created,
        },
        'landing file registered',
      );
      return {
        zone: zone.name,
        path,
        status: result.created ? 'registered' : 'duplicate',
        version: result.version,
      };
    } catch (error) {
      // Redelivered events count their own attempts; polled files count here.
      const attempts = delivery?.attempt ?? (this.attempts.get(key) ?? 0) + 1;
      if (!delivery) this.attempts.set(key, attempts);
      const userError = isGyreError(error) && error.isUserError;
      if (!userError && attempts < (delivery?.maxAttempts ?? MAX_ATTEMPTS)) {
        this.logger.warn(
          { zone: zone.name, path, err: error, attempts },
          'landing file failed; will retry',
        );
        return { zone: zone.name, path, status: 'retry', error: (error as Error).message };
      }
      this.attempts.delete(key);
      return this.quarantine(zone, store, path, fingerprint, size, error);
    }
  }

  /** Copies the file and a JSON report under _quarantine/ and records it in the ledger. */
  private async quarantine(
    zone: LandingZone,
    store: ArtifactStore,
    path: string,
    fingerprint: string,
    size: number,
    error: unknown,
  ): Promise<LandingOutcome> {
    const message = error instanceof Error ? error.message : String(error);
    const detail: Record<string, unknown> = {
      error: message,
      ...(isGyreError(error) ? { code: error.code } : {}),
      ...(error instanceof ValidationFailedError ? { report: error.report } : {}),
    };
    const stamp = this.clock.now();
    const quarantinePath = `${QUARANTINE_PREFIX}/${stamp}/${path}`;
    await store.copy(path, quarantinePath);
    await store.put(
      `${quarantinePath}.report.json`,
      JSON.stringify({ zone: zone.name, path, ...detail }, null, 2),
    );
    await this.options.store.recordQuarantine({
      zoneName: zone.name,
      path,
      fingerprint,
      size,
      quarantinePath,
      detail,
    });
    this.logger.warn({ zone: zone.name, path, error: message }, 'landing file quarantined');
    return { zone: zone.name, path, status: 'quarantined', error: message };
  }
}

/** Polls every landing zone on an interval until stopped; one poll at a time. */
export class LandingWatcher {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopped = true;

  constructor(
    private readonly service: LandingService,
    private readonly options: {
      intervalMs?: number;
      logger?: Logger;
      zone?: string;
      /** Zones this watcher leaves to another feed (see LandingService.pollOnce). */
      skip?: (zone: LandingZone) => boolean;
      onOutcome?: (o: LandingOutcome) => void;
    } = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.service
        .pollOnce(this.options.zone, this.options.skip)
        .then((outcomes) => outcomes.forEach((o) => this.options.onOutcome?.(o)))
        .catch((error: unknown) =>
          (this.options.logger ?? silentLogger).error({ err: error }, 'landing poll failed'),
        )
        .finally(() => this.schedule(this.options.intervalMs ?? 2000));
    }, delay);
  }

  /** Stops polling and waits for a poll in progress to finish (it is never cut in half). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }
}
