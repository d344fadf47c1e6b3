/** Emitted in the same transaction as a new dataset version row. */
export const DATASET_VERSION_CREATED = 'dataset.version.created';

export interface DatasetVersionCreatedPayload {
  datasetName: string;
  version: number;
  versionId: string;
  digest: string;
  source: string;
  rowCount: number;
  /** Set when the version came from a landing zone. */
  landingZone?: string;
}
