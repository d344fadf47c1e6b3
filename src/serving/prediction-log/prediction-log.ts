import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ArtifactStore } from '../../artifacts/index.js';
import { silentLogger, type Logger } from '../../core/index.js';
import { convertCsvFile, preloadDuckDb, type TableColumnType } from '../../data/index.js';
import type { PredictionObserver, PredictionRecord } from '../model-server/prediction-observer.js';
import type { ServedRoute } from '../model-server/routing-table.js';
import { appendLines, logColumns, routeFields } from './log-schema.js';
import type { LogColumnPlan, LogPrivacy } from './log-privacy.js';

export interface PredictionLogOptions {
  artifacts: ArtifactStore;
  /** Where log files go in the store (default `prediction-logs`). */
  prefix?: string;
  /** Written at least this often; a crash loses at most this much (milliseconds). */
  flushIntervalMs: number;
  /** Rows held in memory at most; beyond it new rows are dropped and counted. */
  maxBufferedRows: number;
  /** Fraction of requests logged (1 = all). */
  sampleRate: number;
  /** Tells this process's files apart from other workers' (default: the pid). */
  fileTag?: string;
  registry?: Registry;
  logger?: Logger;
  /** Hashes or drops PII inputs before anything is written (log-privacy.ts). */
  privacy?: LogPrivacy;
}

/** Rows of one deployment, hour and model version (so one file schema) waiting to be written. */
interface Group {
  deployment: string;
  /** `YYYY-MM-DDTHH`, UTC. */
  hour: string;
  columns: { name: string; type: TableColumnType }[];
  /** The CSV fields every row of the group shares (deployment, model, version, role). */
  head: string;
  records: PredictionRecord[];
  rows: number;
  plan: LogColumnPlan;
}

const HOUR_MS = 3_600_000;
/** How long a route's PII plan is trusted before tags are read again. */
const PLAN_TTL_MS = 30_000;

/** CPU time this process used so far, user + system, in microseconds. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
/** Rows serialized and written at a time while a batch is written. */
const SLICE_ROWS = 1000;

/**
 * Every prediction, appended off the hot path: `onPrediction` only keeps a reference to the
 * record; a timer turns batches into CSV in small slices (yielding to requests between them)
 * and hands them to DuckDB, which writes Parquet files
 * partitioned `deployment=<name>/date=<YYYY-MM-DD>/hour=<HH>` (UTC) into the artifact store.
 * Memory is bounded: past `maxBufferedRows` rows, requests are still answered but not logged,
 * and counted as dropped. `close()` writes everything still held.
 */
export class PredictionLog implements PredictionObserver {
  private pending: PredictionRecord[] = [];
  private pendingRows = 0;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private soon = false;
  private sequence = 0;
  private readonly prefix: string;
  private readonly tag: string;
  private readonly logger: Logger;
  private readonly flushRows: number;
  private readonly written: Counter | undefined;
  private readonly dropped: Counter<'reason'> | undefined;
  /** Process CPU time (µs) and wall time at the last usage record. */
  private usageMark = { cpu: cpuMicros(), at: Date.now() };
  /** Each served route's PII plan, looked up again after PLAN_TTL_MS so new tags apply. */
  private readonly plans = new WeakMap<ServedRoute, { at: number; plan: Promise<LogColumnPlan> }>();
  /** Totals since start, for tests and the shutdown log line. */
  readonly totals = { written: 0, dropped: 0, sampledOut: 0, failed: 0 };

  constructor(private readonly options: PredictionLogOptions) {
    this.prefix = (options.prefix ?? 'prediction-logs').replace(/\/+$/, '');
    this.tag = options.fileTag ?? String(process.pid);
    this.logger = options.logger ?? silentLogger;
    // Write early once a quarter of the budget waits, so bursts rarely reach the cap.
    this.flushRows = Math.max(1, Math.floor(options.maxBufferedRows / 4));
    if (options.registry) {
      this.written = new Counter({
        name: 'gyre_prediction_log_rows_written_total',
        help: 'Prediction rows written to the prediction log.',
        registers: [options.registry],
      });
      this.dropped = new Counter({
        name: 'gyre_prediction_log_rows_dropped_total',
        help: 'Prediction rows not logged: overload (buffer full), sampled, or write_failed.',
        labelNames: ['reason'],
        registers: [options.registry],
      });
      const buffered = () => this.pendingRows;
      new Gauge({
        name: 'gyre_prediction_log_buffered_rows',
        help: 'Prediction rows waiting to be written.',
        registers: [options.registry],
        collect() {
          this.set(buffered());
        },
      });
    }
  }

  onPrediction(record: PredictionRecord): void {
    const rows = record.batch.numRows;
    if (this.options.sampleRate < 1 && Math.random() >= this.options.sampleRate) {
      this.totals.sampledOut += rows;
      this.dropped?.inc({ reason: 'sampled' }, rows);
      return;
    }
    if (this.pendingRows + rows > this.options.maxBufferedRows) {
      this.totals.dropped += rows;
      this.dropped?.inc({ reason: 'overload' }, rows);
      return;
    }
    this.pending.push(record);
    this.pendingRows += rows;
    if (this.pendingRows >= this.flushRows && !this.soon) {
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        void this.flush();
      });
    }
  }

  onError(): void {
    // Failed requests have no prediction to log; the metrics count them.
  }

  /** Starts the timer; loads DuckDB first so the first write does not stall requests. */
  async start(): Promise<void> {
    if (this.timer) return;
    await preloadDuckDb();
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes what is waiting now; writes run one at a time, in order. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeWaiting());
    return this.writing;
  }

  /** Stops the timer and writes everything still held. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  get bufferedRows(): number {
    return this.pendingRows;
  }

  private async writeWaiting(): Promise<void> {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    this.pendingRows = 0;
    // One file per route and hour: one schema, one partition. Grouped by object and number,
    // so sorting out a batch builds no strings per record.
    const byRoute = new Map<ServedRoute, Map<number, Group>>();
    const groups: Group[] = [];
    for (const record of records) {
      const hourNumber = Math.floor(record.timestamp / HOUR_MS);
      let hours = byRoute.get(record.route);
      if (!hours) byRoute.set(record.route, (hours = new Map()));
      let group = hours.get(hourNumber);
      if (!group) {
        const plan = await this.planOf(record);
        group = {
          deployment: record.deployment,
          hour: new Date(hourNumber * HOUR_MS).toISOString().slice(0, 13),
          columns: logColumns(record.route, plan),
          head: routeFields(record.deployment, record.route),
          records: [],
          rows: 0,
          plan,
        };
        hours.set(hourNumber, group);
        groups.push(group);
      }
      group.records.push(record);
      group.rows += record.batch.numRows;
    }
    const dir = await mkdtemp(join(tmpdir(), 'gyre-prediction-log-'));
    try {
      for (const group of groups) await this.writeGroup(group, dir);
      await this.writeUsage(groups);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private planOf(record: PredictionRecord): Promise<LogColumnPlan> {
    const { privacy } = this.options;
    if (!privacy) return Promise.resolve(undefined);
    const now = Date.now();
    const known = this.plans.get(record.route);
    if (known && now - known.at < PLAN_TTL_MS) return known.plan;
    const plan = privacy.planFor(record.deployment, record.route);
    this.plans.set(record.route, { at: now, plan });
    return plan;
  }

  /**
   * Writes a group as CSV in slices of rows, each serialized and written before the next, so
   * no single step holds the thread long enough for requests to notice.
   */
  private async writeCsv(group: Group, path: string): Promise<void> {
    const file = await open(path, 'w');
    try {
      let lines: string[] = [];
      let rows = 0;
      const { privacy } = this.options;
      const pii = group.plan && privacy ? { plan: group.plan, privacy } : undefined;
      for (const record of group.records) {
        appendLines(record, group.head, lines, pii);
        rows += record.batch.numRows;
        if (rows >= SLICE_ROWS) {
          await file.write(`${lines.join('\n')}\n`);
          lines = [];
          rows = 0;
        }
      }
      if (lines.length > 0) await file.write(`${lines.join('\n')}\n`);
    } finally {
      await file.close();
    }
  }

  /**
   * One usage record per write: this process's CPU seconds and resident memory since the last
   * one, and the rows each deployment logged meanwhile — what monitoring turns into CPU and
   * cost per 1,000 predictions (`<prefix>/_usage/`, JSON).
   */
  private async writeUsage(groups: Group[]): Promise<void> {
    const now = Date.now();
    const cpu = cpuMicros();
    const byDeployment = new Map<string, number>();
    for (const g of groups)
      byDeployment.set(g.deployment, (byDeployment.get(g.deployment) ?? 0) + g.rows);
    const rows = [...byDeployment].map(([deployment, n]) => ({ deployment, rows: n }));
    const record = {
      tag: this.tag,
      start: this.usageMark.at,
      end: now,
      cpu_seconds: (cpu - this.usageMark.cpu) / 1e6,
      rss_bytes: process.memoryUsage.rss(),
      rows,
    };
    this.usageMark = { cpu, at: now };
    const path = `${this.prefix}/_usage/usage-${this.tag}-${now}-${this.sequence++}.json`;
    try {
      await this.options.artifacts.put(path, Buffer.from(JSON.stringify(record)));
    } catch (error) {
      this.logger.warn({ err: error, path }, 'writing a prediction-log usage record failed');
    }
  }

  private async writeGroup(group: Group, dir: string): Promise<void> {
    const n = group.rows;
    const file = `part-${this.tag}-${Date.now()}-${this.sequence++}.parquet`;
    const path = `${this.prefix}/deployment=${group.deployment}/date=${group.hour.slice(0, 10)}/hour=${group.hour.slice(11, 13)}/${file}`;
    try {
      const csv = join(dir, `${file}.csv`);
      await this.writeCsv(group, csv);
      group.records = [];
      const parquet = join(dir, file);
      await convertCsvFile(csv, group.columns, parquet);
      await this.options.artifacts.putFile(path, parquet);
      this.totals.written += n;
      this.written?.inc(n);
    } catch (error) {
      this.totals.failed += n;
      this.dropped?.inc({ reason: 'write_failed' }, n);
      this.logger.error({ err: error, path, rows: n }, 'writing the prediction log failed');
    }
  }
}
