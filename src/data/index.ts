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
  TransformRecord,
} from './store.js';
export { ValidationFailedError, type RegisterResult } from './ingest/register-table.js';
export type { ProgressListener, OpenStore } from './ingest/materialize-source.js';
export {
  parseSuite,
  EXPECTATION_KINDS,
  type ValidationSuite,
  type Expectation,
} from './validation/suite.js';
export { parseVersionRef, checkDatasetName, formatRef } from './refs.js';
export * from './events/index.js';
