import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  checkDatasetName,
  withSqlSession,
  sqlString,
  type DatasetService,
  type DatasetVersion,
} from '../../data/index.js';
import type { FeatureRegistry } from '../feature-registry.js';
import { entityRelation, writePointInTime } from './point-in-time-join.js';
import { createViewTable, refOf, sourceRefs, SourceFiles } from './view-tables.js';

export interface TrainingSetRequest {
  /** The feature service whose features the rows get. */
  service: string;
  /** Entity rows: a local file (Parquet, CSV, NDJSON) or a dataset version (`name@3`). */
  entities: { path: string } | { dataset: string };
  /** The entity rows' timestamp column (default `event_timestamp`). */
  timestampColumn?: string;
  /** The dataset the result is registered as a version of (default `<service>-training`). */
  dataset?: string;
  /** Leave the join keys and the timestamp out (what a model trains on); kept by default. */
  dropKeys?: boolean;
  /** Also copy the Parquet file here. */
  output?: string;
  createdBy?: string;
  /** Stages as they start: `reading sources`, `joining`, `registering`. */
  onStage?(stage: string): void;
}

export interface TrainingSetResult {
  version: DatasetVersion;
  /** False when identical content was registered before (that version is returned). */
  created: boolean;
  rows: number;
  columns: string[];
  /** Every dataset version read: the views' sources (and the entity rows when a dataset). */
  sources: string[];
  output?: string;
}

/**
 * Point-in-time correct training sets: entity rows joined to a feature service's views as of
 * each row's timestamp, written to Parquet and registered as a dataset version whose lineage
 * names every source version read.
 */
export class TrainingSets {
  constructor(
    private readonly registry: FeatureRegistry,
    private readonly datasets: DatasetService,
  ) {}

  async build(request: TrainingSetRequest): Promise<TrainingSetResult> {
    const resolved = await this.registry.resolveService(request.service);
    const datasetName = checkDatasetName(
      request.dataset ?? `${request.service.replaceAll('_', '-')}-training`,
      'dataset',
    );
    const files = new SourceFiles(this.datasets);
    const dir = await mkdtemp(join(tmpdir(), 'gyre-training-set-'));
    try {
      request.onStage?.('reading sources');
      let entities: string;
      let entityVersion: DatasetVersion | undefined;
      if ('dataset' in request.entities) {
        const local = await files.load(request.entities.dataset);
        entityVersion = local.version;
        entities = `read_parquet(${sqlString(local.path)})`;
      } else {
        entities = entityRelation(resolve(request.entities.path));
      }
      const out = join(dir, 'training-set.parquet');
      for (const view of resolved.views)
        for (const ref of sourceRefs(view.definition)) await files.load(ref);
      const written = await withSqlSession(async (session) => {
        // Views' SQL is users' SQL: it may read the sources and the entity rows, nothing else.
        await session.confine([
          ...files.paths(),
          ...('path' in request.entities ? [resolve(request.entities.path)] : []),
          out,
        ]);
        const joined = [];
        for (const view of resolved.views) {
          const joinKeys = await this.registry.joinKeysOf(view.definition);
          await createViewTable(session, files, view.definition, joinKeys);
          joined.push({
            name: view.name,
            joinKeys,
            ttlMs: view.definition.ttl,
            features: resolved.features.filter((f) => f.view === view.name).map((f) => f.feature),
          });
        }
        request.onStage?.('joining');
        return writePointInTime(session, {
          entities,
          timestampColumn: request.timestampColumn ?? 'event_timestamp',
          views: joined,
          output: out,
          ...(request.dropKeys
            ? { drop: [...resolved.joinKeys, request.timestampColumn ?? 'event_timestamp'] }
            : {}),
        });
      });
      request.onStage?.('registering');
      const viewSources = resolved.views.map((v) => ({
        view: v.name,
        version: files
          .versions()
          .filter((d) =>
            sourceRefs(v.definition).some((ref) => ref.split('@')[0] === d.datasetName),
          ),
      }));
      const inputs: Record<string, string> = {};
      for (const s of viewSources)
        for (const d of s.version) inputs[`${s.view}.${d.datasetName}`] = d.id;
      if (entityVersion) inputs.entities = entityVersion.id;
      const registered = await this.datasets.ingest({
        source: out,
        name: datasetName,
        format: 'parquet',
        createdBy: request.createdBy ?? 'unknown',
        tags: { feature_service: `${resolved.service.name}@${resolved.service.version}` },
        recordAs: `features:${resolved.service.name}`,
        transform: {
          kind: 'features',
          spec: {
            service: resolved.service.name,
            serviceVersion: resolved.service.version,
            views: Object.fromEntries(resolved.views.map((v) => [v.name, v.version])),
            features: resolved.features.map((f) => `${f.view}:${f.feature}`),
            entities:
              'dataset' in request.entities
                ? { dataset: entityVersion ? refOf(entityVersion) : request.entities.dataset }
                : { file: request.entities.path },
            timestampColumn: request.timestampColumn ?? 'event_timestamp',
            dropKeys: request.dropKeys ?? false,
          },
          inputs,
        },
      });
      if (request.output) await copyFile(out, request.output);
      return {
        version: registered.version,
        created: registered.created,
        rows: written.rows,
        columns: written.columns,
        sources: files.versions().map(refOf),
        ...(request.output ? { output: request.output } : {}),
      };
    } finally {
      await files.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  }
}
