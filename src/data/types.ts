/** The logical types Gyre reasons about; the physical type stays in the Parquet copy. */
export const LOGICAL_TYPES = [
  'numeric',
  'integer',
  'categorical',
  'boolean',
  'datetime',
  'text',
] as const;

export type LogicalType = (typeof LOGICAL_TYPES)[number];

export const SOURCE_FORMATS = ['csv', 'tsv', 'parquet', 'json', 'ndjson'] as const;

export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export interface ColumnSchema {
  name: string;
  logicalType: LogicalType;
  /** DuckDB's type in the canonical Parquet copy, e.g. DOUBLE, BIGINT, VARCHAR. */
  physicalType: string;
  /** True when the logical type was given by the user rather than inferred. */
  overridden?: boolean;
  /** The kind of personal data the column holds, when tagged (`gyre data pii tag`). */
  pii?: string;
}

export interface Dataset {
  id: string;
  name: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  /** The highest version number, 0 before the first version. */
  latestVersion: number;
}

/** One immutable, content-addressed version of a dataset. */
export interface DatasetVersion {
  id: string;
  datasetId: string;
  datasetName: string;
  version: number;
  /** sha256 of the canonical content (hex); identical content maps to the same version. */
  digest: string;
  /** Path of the canonical Parquet copy in the artifact store. */
  artifactPath: string;
  /** Where the content came from: a path, an s3:// or artifact URI, or `transform:<id>`. */
  source: string;
  format: SourceFormat;
  schema: ColumnSchema[];
  rowCount: number;
  /** Size of the canonical Parquet copy. */
  bytes: number;
  createdBy: string;
  tags: Record<string, string>;
  /** The transform that produced this version, when it was derived from others. */
  transformId?: string;
  createdAt: number;
}

export interface HistogramSummary {
  /** n + 1 bin edges; bin i holds edges[i] <= x < edges[i+1] (the last bin is closed). */
  edges: number[];
  counts: number[];
}

export interface CategoryCount {
  value: string;
  count: number;
  frequency: number;
}

export interface ColumnProfile {
  name: string;
  logicalType: LogicalType;
  count: number;
  nulls: number;
  nullFraction: number;
  /** HyperLogLog estimate. */
  approxDistinct: number;
  /** Exact count of distinct non-null values (absent in profiles stored before it existed). */
  distinct?: number;
  /** Numbers for numeric columns, ISO strings for datetimes, strings for text. */
  min?: number | string;
  max?: number | string;
  mean?: number;
  std?: number;
  /** Approximate (t-digest) quantiles; keys are the levels "0.01", "0.05", ..., "0.99". */
  quantiles?: Record<string, number>;
  histogram?: HistogramSummary;
  topK?: CategoryCount[];
}

export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
}

export type Severity = 'error' | 'warn';

export interface ExpectationResult {
  /** The expectation kind, e.g. not_null, range, schema.removed_column. */
  expectation: string;
  column?: string;
  severity: Severity;
  passed: boolean;
  /** What was measured: a null fraction, a min/max pair, a row count... */
  observed: unknown;
  /** The expectation's own parameters, for display. */
  expected?: unknown;
  message: string;
  /** Up to five rows that broke the expectation. */
  failingSample?: Record<string, unknown>[];
}

export interface ValidationReport {
  id: string;
  datasetName: string;
  /** Absent when the report was made before the content was registered (landing zones). */
  version?: number;
  versionId?: string;
  suiteName?: string;
  /** False when any error-severity expectation failed. */
  passed: boolean;
  errors: number;
  warnings: number;
  results: ExpectationResult[];
  createdAt: number;
}

/** `name@version`, or `name` alone for the latest version. */
export interface VersionRef {
  name: string;
  version?: number;
}
