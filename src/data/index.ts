// The data domain's public surface: versioned datasets, validation, transforms, landing
// zones, lineage and the durable events they emit. Other folders import only from here.
export * from './types.js';
export {
  DatasetService,
  assertFormat,
  type IngestRequest,
  type VersionDiff,
  type DataServiceOptions,
} from './dataset-service.js';
export { KyselyDatasetStore } from './kysely-dataset-store.js';
export type {
  DatasetStore,
  NewVersion,
  NewTransform,
  LandingOrigin,
  TransformKind,
  TransformRecord,
} from './store.js';
export { ValidationFailedError, type RegisterResult } from './ingest/register-table.js';
export type { ProgressListener, OpenStore } from './ingest/materialize-source.js';
export { SourceGuard } from './ingest/source-guard.js';
export {
  parseSuite,
  EXPECTATION_KINDS,
  type ValidationSuite,
  type Expectation,
} from './validation/suite.js';
export { parseVersionRef, checkDatasetName, formatRef } from './refs.js';
export { DATASET_VERSION_CREATED, type DatasetVersionCreatedPayload } from './dataset-events.js';
export {
  TransformService,
  type SqlTransformRequest,
  type SplitRequest,
} from './transforms/transform-service.js';
export { SPLIT_METHODS, SPLIT_PARTS, type SplitSpec } from './transforms/split-spec.js';
export {
  LineageService,
  LINEAGE_KINDS,
  type LineageGraph,
  type LineageNode,
  type LineageEdge,
  type LineageKind,
  type LineageDirection,
} from './lineage/lineage-service.js';
export type { LineageLinks, LinkedRun, LinkedModelVersion } from './lineage/lineage-links.js';
export {
  LandingService,
  LandingWatcher,
  QUARANTINE_PREFIX,
  type LandingOutcome,
  type LandingServiceOptions,
} from './landing/landing-service.js';
export {
  KyselyLandingZoneStore,
  type LandingZone,
  type LandingFile,
  type LandingZoneStore,
} from './landing/landing-store.js';
export {
  SqsLandingSource,
  zoneOfObject,
  type MessageResult,
  type SqsLandingSourceOptions,
} from './landing/sqs/sqs-landing-source.js';
export {
  openSqsQueue,
  type LandingQueue,
  type QueueMessage,
  type SqsQueueOptions,
} from './landing/sqs/landing-queue.js';
export {
  parseS3Notification,
  s3NotificationBody,
  type S3ObjectEvent,
} from './landing/sqs/s3-event.js';
export {
  withSqlSession,
  summarizeParquetWindow,
  sqlString,
  sqlIdent,
  nextDown,
  type SqlSession,
  type ParquetWindow,
  type WindowColumnRequest,
  type WindowColumnSummary,
  type WindowSummary,
} from './duckdb/index.js';
export {
  createDataServices,
  type DataServices,
  type DataServicesOptions,
} from './data-services.js';
// Reading tables in chunks and writing them to Parquet / CSV / NDJSON through DuckDB
// (serving's prediction log and batch predictions use these; DuckDB stays in data/duckdb).
export {
  TableFileWriter,
  writeTableFile,
  convertCsvFile,
  preloadDuckDb,
  openTableChunks,
  type TableChunk,
  type ChunkColumn,
  type TableShape,
  type TableColumn,
  type TableColumnType,
  type TableFileFormat,
} from './duckdb/index.js';
export {
  describeParquetColumns,
  readParquetColumnChunks,
  sampleParquetColumns,
  type ParquetColumnSpec,
  type ParquetColumnChunk,
  type ParquetColumnsInfo,
} from './duckdb/parquet-column-chunks.js';
export {
  PII_KINDS,
  PiiService,
  piiKindOfName,
  piiKindOfValue,
  luhnValid,
  looksPersonal,
  type PiiKind,
  type PiiTag,
  type PiiScanReport,
  type PiiColumnFinding,
} from './pii/index.js';
