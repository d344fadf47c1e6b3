import { InvalidArgumentError, systemClock, type Clock, type Logger } from '../../core/index.js';
import { sqlIdent, withSqlSession, type DatasetService } from '../../data/index.js';
import type { FeatureRegistry } from '../feature-registry.js';
import {
  createViewTable,
  refOf,
  sourceDatasets,
  sourceRefs,
  SourceFiles,
  viewTable,
} from '../offline/view-tables.js';
import type { KyselyFeatureStore, Materialization } from '../store.js';
import { entityKey, type OnlineStore, type OnlineValue, type OnlineWrite } from './online-store.js';

export interface MaterializeRequest {
  /** Views to materialize (default: every view). */
  views?: string[];
  /** Only rows whose event time is after this (epoch ms); default: from the beginning. */
  startMs?: number;
  /** Only rows whose event time is at or before this (default: now): never a future value. */
  endMs?: number;
  /** Recorded with the materialization: `manual`, `dataset:<name@version>`. */
  trigger?: string;
  /** Rows written so far of the view being materialized. */
  onProgress?(view: string, written: number, total: number): void;
}

/** Rows read from DuckDB and written to the online store at a time. */
const PAGE = 20_000;

/**
 * Writes the latest feature values per entity of each view (within a time range) to the
 * online store, through the same view SQL the training sets read, and records what it did.
 * The store keeps the newer of two values, so materializing twice, or overlapping ranges,
 * changes nothing.
 */
export class Materializer {
  private readonly clock: Clock;

  constructor(
    private readonly registry: FeatureRegistry,
    private readonly datasets: DatasetService,
    private readonly store: KyselyFeatureStore,
    private readonly online: OnlineStore,
    options: { clock?: Clock; logger?: Logger } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async materialize(request: MaterializeRequest = {}): Promise<Materialization[]> {
    const endMs = request.endMs ?? this.clock.now();
    if (request.startMs !== undefined && request.startMs >= endMs)
      throw new InvalidArgumentError('start must be before end', { field: 'start' });
    const views =
      request.views && request.views.length > 0
        ? await Promise.all(request.views.map((v) => this.registry.get('feature_view', v)))
        : await this.registry.views();
    const done: Materialization[] = [];
    for (const view of views) {
      const joinKeys = await this.registry.joinKeysOf(view.definition);
      const files = new SourceFiles(this.datasets);
      try {
        for (const ref of sourceRefs(view.definition)) await files.load(ref);
        const written = await withSqlSession(async (session) => {
          await session.confine(files.paths());
          await createViewTable(session, files, view.definition, joinKeys);
          const keys = joinKeys.map(sqlIdent).join(', ');
          const range = [
            `__ts <= epoch_ms(${Math.trunc(endMs)})`,
            ...(request.startMs !== undefined
              ? [`__ts > epoch_ms(${Math.trunc(request.startMs)})`]
              : []),
          ].join(' and ');
          await session.run(
            `create table __latest as select ${keys}, epoch_ms(__ts) as __ms, ${view.definition.features.map((f) => sqlIdent(f.name)).join(', ')} ` +
              `from ${viewTable(view.name)} where ${range} ` +
              `qualify row_number() over (partition by ${keys} order by __ts desc) = 1`,
          );
          const [{ n, latest }] = await session.all(
            'select count(*)::bigint as n, max(__ms)::bigint as latest from __latest',
          );
          const total = Number(n);
          for (let offset = 0; offset < total; offset += PAGE) {
            const rows = await session.all(
              `select * from __latest order by ${keys} limit ${PAGE} offset ${offset}`,
            );
            const writes: OnlineWrite[] = rows.map((row) => ({
              entityKey: entityKey(joinKeys.map((k) => row[k])),
              eventMs: Number(row.__ms),
              values: Object.fromEntries(
                view.definition.features.map((f) => [f.name, toValue(row[f.name])]),
              ),
            }));
            await this.online.write(view.name, writes);
            request.onProgress?.(view.name, Math.min(offset + PAGE, total), total);
          }
          return { rows: total, maxEventMs: latest === null ? undefined : Number(latest) };
        });
        done.push(
          await this.store.recordMaterialization({
            view: view.name,
            viewVersion: view.version,
            ...(request.startMs !== undefined ? { startMs: request.startMs } : {}),
            endMs,
            rows: written.rows,
            ...(written.maxEventMs !== undefined ? { maxEventMs: written.maxEventMs } : {}),
            sources: files.versions().map(refOf),
            store: this.online.kind,
            trigger: request.trigger ?? 'manual',
            createdAt: this.clock.now(),
          }),
        );
      } finally {
        await files.cleanup();
      }
    }
    return done;
  }

  /** The views that read a dataset (by name, so an unpinned source follows new versions). */
  async viewsReading(datasetName: string): Promise<string[]> {
    return (await this.registry.views())
      .filter((v) => {
        const refs = sourceRefs(v.definition);
        // A view pinned to a version does not change when a newer one lands.
        return sourceDatasets(v.definition).some(
          (d, i) => d === datasetName && !refs[i].includes('@'),
        );
      })
      .map((v) => v.name);
  }
}

function toValue(v: unknown): OnlineValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}
