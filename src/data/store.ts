import type {
  Dataset,
  DatasetProfile,
  DatasetVersion,
  SourceFormat,
  ColumnSchema,
  ValidationReport,
} from './types.js';

/** Everything about a new version except what the store assigns (id, number, time). */
export interface NewVersion {
  datasetName: string;
  digest: string;
  artifactPath: string;
  source: string;
  format: SourceFormat;
  schema: ColumnSchema[];
  rowCount: number;
  bytes: number;
  createdBy: string;
  tags: Record<string, string>;
  profile: DatasetProfile;
}

/**
 * What made a derived version: a SQL transform, a split, or a batch prediction by a model
 * (whose spec names the model version, so lineage can link the model to the predictions).
 */
export type TransformKind = 'sql' | 'split' | 'predict' | 'features';

/** How a derived version was made: recorded with it, in the same transaction. */
export interface NewTransform {
  kind: TransformKind;
  spec: Record<string, unknown>;
  /** alias → the version id read under that alias. */
  inputs: Record<string, string>;
}

/** A landing-zone file that produced the version; its ledger row commits with it. */
export interface LandingOrigin {
  zoneName: string;
  path: string;
  /** Size and modification time: the same path with new content is a new file. */
  fingerprint: string;
  size: number;
}

export interface CreateVersionResult {
  version: DatasetVersion;
  /** False when a version with the same digest already existed and was returned instead. */
  created: boolean;
}

export interface TransformRecord {
  id: string;
  kind: TransformKind;
  spec: Record<string, unknown>;
  inputs: { alias: string; versionId: string }[];
  createdAt: number;
}

/**
 * Datasets, their versions, transforms and validation reports. One aggregate: a version is
 * written together with its dataset row, its transform, its landing ledger row and its event.
 */
export interface DatasetStore {
  /**
   * Registers a version, or returns the existing one with the same digest. The dataset row,
   * transform, ledger row and `dataset.version.created` event commit in one transaction.
   */
  createVersion(
    input: NewVersion,
    options?: { transform?: NewTransform; landing?: LandingOrigin },
  ): Promise<CreateVersionResult>;
  getDataset(name: string): Promise<Dataset | undefined>;
  listDatasets(): Promise<Dataset[]>;
  /** The given version, or the latest when `version` is omitted. */
  getVersion(name: string, version?: number): Promise<DatasetVersion | undefined>;
  getVersionById(id: string): Promise<DatasetVersion | undefined>;
  listVersions(name: string): Promise<DatasetVersion[]>;
  /** Every version (of any dataset) whose digest starts with `digest`. */
  findVersionsByDigest(digest: string): Promise<DatasetVersion[]>;
  getProfile(versionId: string): Promise<DatasetProfile | undefined>;
  getTransform(id: string): Promise<TransformRecord | undefined>;
  /** Every transform of one kind, oldest first (with its inputs). */
  listTransforms(kind: TransformKind): Promise<TransformRecord[]>;
  /** Versions produced by transforms that read `versionId`. */
  listDerivedVersions(
    versionId: string,
  ): Promise<{ transformId: string; version: DatasetVersion }[]>;
  /** Versions a transform produced. */
  listVersionsByTransform(transformId: string): Promise<DatasetVersion[]>;
  saveReport(report: ValidationReport): Promise<void>;
  listReports(versionId: string): Promise<ValidationReport[]>;
  getReport(id: string): Promise<ValidationReport | undefined>;
}
