import { copyFile } from 'node:fs/promises';
import type { ArtifactStore } from '../artifacts/index.js';
import { NotFoundError, systemClock, type Clock } from '../core/index.js';
import { sqlString, withSqlSession } from './duckdb/index.js';
import { loadSource } from './ingest/load-source.js';
import {
  downloadToTemp,
  hashFile,
  materializeSource,
  type OpenStore,
  type ProgressListener,
} from './ingest/materialize-source.js';
import { registerTable, type RegisterResult } from './ingest/register-table.js';
import { checkOverrides } from './ingest/infer-schema.js';
import { detectFormat } from './ingest/source-format.js';
import { measureShift } from './profile/distribution-shift.js';
import { checkDatasetName, parseVersionRef } from './refs.js';
import type { DatasetStore, LandingOrigin, NewTransform } from './store.js';
import type {
  Dataset,
  DatasetProfile,
  DatasetVersion,
  LogicalType,
  SourceFormat,
  ValidationReport,
} from './types.js';
import type { ValidationSuite } from './validation/suite.js';
import { validateTable } from './validation/validate-table.js';

export interface IngestRequest {
  /** A local path, file://, s3:// or `artifacts:` URI. */
  source: string;
  name: string;
  /** Overrides the format the file name implies. */
  format?: string;
  /** Logical type overrides by column. */
  types?: Record<string, string>;
  tags?: Record<string, string>;
  createdBy?: string;
  /** Validate before registering; a failing suite registers nothing. */
  suite?: { suite: ValidationSuite; name?: string };
  onProgress?: ProgressListener;
  /** Set by the landing-zone watcher. */
  landing?: LandingOrigin;
  /** What to record as the source and name in errors instead of the file read (an upload). */
  recordAs?: string;
  /** How the file was derived from other versions (batch predictions): recorded for lineage. */
  transform?: NewTransform;
}

export interface VersionDiff {
  from: { name: string; version: number; rowCount: number };
  to: { name: string; version: number; rowCount: number };
  schema: {
    added: { name: string; logicalType: LogicalType }[];
    removed: { name: string; logicalType: LogicalType }[];
    retyped: { name: string; from: LogicalType; to: LogicalType }[];
  };
  columns: {
    name: string;
    nullFraction: { from: number; to: number };
    mean?: { from: number; to: number };
    approxDistinct: { from: number; to: number };
    /** Population stability index of `to` binned on `from`'s stored histogram or categories. */
    psi?: number;
  }[];
}

export interface DataServiceOptions {
  store: DatasetStore;
  artifacts: ArtifactStore;
  /** Opens other stores: s3:// sources. */
  openStore: OpenStore;
  clock?: Clock;
}

/** Datasets and their versions: ingest, read back, compare, validate. */
export class DatasetService {
  readonly store: DatasetStore;
  readonly artifacts: ArtifactStore;
  private readonly openStore: OpenStore;
  readonly clock: Clock;

  constructor(options: DataServiceOptions) {
    this.store = options.store;
    this.artifacts = options.artifacts;
    this.openStore = options.openStore;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Ingests a file as a new version of dataset `name`. Identical content (same sha256)
   * returns the existing version without reading the file with DuckDB. Nothing is registered
   * unless every step (reading, typing, validating, storing) succeeded.
   */
  async ingest(request: IngestRequest): Promise<RegisterResult> {
    const name = checkDatasetName(request.name);
    const materialized = await materializeSource(
      request.source,
      this.artifacts,
      this.openStore,
      request.onProgress,
    );
    const local = request.recordAs
      ? { ...materialized, displayName: request.recordAs, uri: request.recordAs }
      : materialized;
    try {
      const format = detectFormat(local.path, request.format);
      const digest = await hashFile(local.path, local.size, request.onProgress);
      if (!request.landing) {
        const same = (await this.store.listVersions(name)).find((v) => v.digest === digest);
        if (same) return { version: same, created: false };
      }
      return await withSqlSession(async (session) => {
        const { columns, lineOfRow } = await loadSource(
          session,
          'src',
          local.path,
          format,
          local.displayName,
        );
        const overrides = checkOverrides(request.types ?? {}, columns, local.displayName);
        return registerTable(
          this,
          session,
          { table: 'src', columns },
          {
            datasetName: name,
            digest,
            source: local.uri,
            format,
            createdBy: request.createdBy ?? 'unknown',
            tags: request.tags ?? {},
            overrides,
            suite: request.suite,
            landing: request.landing,
            transform: request.transform,
            displayName: local.displayName,
            lineOfRow,
          },
        );
      });
    } finally {
      await local.cleanup();
    }
  }

  async listDatasets(): Promise<Dataset[]> {
    return this.store.listDatasets();
  }

  async getDataset(name: string): Promise<Dataset> {
    const dataset = await this.store.getDataset(checkDatasetName(name));
    if (!dataset) throw new NotFoundError(`dataset ${name} does not exist`, { dataset: name });
    return dataset;
  }

  async listVersions(name: string): Promise<DatasetVersion[]> {
    await this.getDataset(name);
    return this.store.listVersions(name);
  }

  /** Resolves `name@version` (or `name` for the latest) to a version; NotFound otherwise. */
  async getVersion(ref: string): Promise<DatasetVersion> {
    const { name, version } = parseVersionRef(ref);
    const found = await this.store.getVersion(name, version);
    if (!found) {
      await this.getDataset(name);
      throw new NotFoundError(`dataset ${ref} does not exist`, { dataset: name, version });
    }
    return found;
  }

  async getProfile(ref: string): Promise<DatasetProfile> {
    const version = await this.getVersion(ref);
    const profile = await this.store.getProfile(version.id);
    if (!profile) throw new NotFoundError(`no profile for ${ref}`, { dataset: ref });
    return profile;
  }

  /** Downloads a version's Parquet copy to a temp file; the caller must call cleanup(). */
  async localCopy(
    version: DatasetVersion,
    onProgress?: ProgressListener,
  ): Promise<{ path: string; cleanup(): Promise<void> }> {
    return downloadToTemp(
      this.artifacts,
      version.artifactPath,
      'data.parquet',
      version.bytes,
      onProgress,
    );
  }

  /** Writes a version to `outFile` as CSV, TSV, Parquet, JSON (array) or NDJSON. */
  async exportVersion(
    ref: string,
    outFile: string,
    format: SourceFormat,
    onProgress?: ProgressListener,
  ): Promise<DatasetVersion> {
    const version = await this.getVersion(ref);
    const local = await this.localCopy(version, onProgress);
    try {
      if (format === 'parquet') {
        await copyFile(local.path, outFile);
      } else {
        const options: Record<Exclude<SourceFormat, 'parquet'>, string> = {
          csv: "format csv, header true, delimiter ','",
          tsv: "format csv, header true, delimiter '\\t'",
          json: 'format json, array true',
          ndjson: 'format json',
        };
        await withSqlSession((s) =>
          s.run(
            `copy (select * from read_parquet(${sqlString(local.path)})) to ${sqlString(outFile)} (${options[format]})`,
          ),
        );
      }
    } finally {
      await local.cleanup();
    }
    return version;
  }

  /** Schema and distribution changes from one version to another. */
  async diff(fromRef: string, toRef: string): Promise<VersionDiff> {
    const from = await this.getVersion(fromRef);
    const to = await this.getVersion(toRef);
    const [fromProfile, toProfile] = await Promise.all([
      this.store.getProfile(from.id),
      this.store.getProfile(to.id),
    ]);
    if (!fromProfile || !toProfile) throw new NotFoundError('a version has no profile');
    const before = new Map(from.schema.map((c) => [c.name, c]));
    const after = new Map(to.schema.map((c) => [c.name, c]));
    const shared = to.schema.filter((c) => before.get(c.name)?.logicalType === c.logicalType);
    const local = await this.localCopy(to);
    let shifts;
    try {
      shifts = await withSqlSession(async (s) => {
        await s.run(`create table t as select * from read_parquet(${sqlString(local.path)})`);
        return measureShift(s, 't', shared, fromProfile);
      });
    } finally {
      await local.cleanup();
    }
    const psi = new Map(shifts.map((s) => [s.column, s.psi]));
    return {
      from: { name: from.datasetName, version: from.version, rowCount: from.rowCount },
      to: { name: to.datasetName, version: to.version, rowCount: to.rowCount },
      schema: {
        added: to.schema
          .filter((c) => !before.has(c.name))
          .map((c) => ({ name: c.name, logicalType: c.logicalType })),
        removed: from.schema
          .filter((c) => !after.has(c.name))
          .map((c) => ({ name: c.name, logicalType: c.logicalType })),
        retyped: to.schema
          .filter((c) => before.has(c.name) && before.get(c.name)!.logicalType !== c.logicalType)
          .map((c) => ({ name: c.name, from: before.get(c.name)!.logicalType, to: c.logicalType })),
      },
      columns: shared.map((c) => {
        const a = fromProfile.columns.find((p) => p.name === c.name)!;
        const b = toProfile.columns.find((p) => p.name === c.name)!;
        return {
          name: c.name,
          nullFraction: { from: a.nullFraction, to: b.nullFraction },
          ...(a.mean !== undefined && b.mean !== undefined
            ? { mean: { from: a.mean, to: b.mean } }
            : {}),
          approxDistinct: { from: a.approxDistinct, to: b.approxDistinct },
          ...(psi.has(c.name) ? { psi: psi.get(c.name) } : {}),
        };
      }),
    };
  }

  /**
   * Validates a registered version against a suite (and its previous version) and stores
   * the report. The report says whether it passed; failing is not an error here.
   */
  async validate(
    ref: string,
    suite: ValidationSuite,
    suiteName?: string,
  ): Promise<ValidationReport> {
    const version = await this.getVersion(ref);
    const profile = await this.store.getProfile(version.id);
    if (!profile) throw new NotFoundError(`no profile for ${ref}`);
    const previous =
      version.version > 1
        ? await this.store.getVersion(version.datasetName, version.version - 1)
        : undefined;
    const local = await this.localCopy(version);
    try {
      const report = await withSqlSession(async (session) => {
        await session.run(`create table t as select * from read_parquet(${sqlString(local.path)})`);
        return validateTable(this, session, {
          table: 't',
          schema: version.schema,
          profile,
          datasetName: version.datasetName,
          suite,
          suiteName,
          previous,
          version,
          allowedPaths: [],
        });
      });
      await this.store.saveReport(report);
      return report;
    } finally {
      await local.cleanup();
    }
  }

  async listReports(ref: string): Promise<ValidationReport[]> {
    return this.store.listReports((await this.getVersion(ref)).id);
  }

  async getReport(id: string): Promise<ValidationReport> {
    const report = await this.store.getReport(id);
    if (!report) throw new NotFoundError(`validation report ${id} does not exist`, { id });
    return report;
  }
}

export function assertFormat(format: string): SourceFormat {
  return detectFormat('', format);
}
