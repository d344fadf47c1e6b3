/** A durable event, read by consumers (pipeline triggers) with a cursor over `id`. */
export interface GyreEvent<P = Record<string, unknown>> {
  /** Increases with every event; commit order equals id order (see KyselyEventStore). */
  id: number;
  type: string;
  /** What the event is about, e.g. `dataset:housing@3`. */
  subject: string;
  payload: P;
  createdAt: number;
}

export interface NewEvent {
  type: string;
  subject: string;
  payload: Record<string, unknown>;
}

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

export interface ListEventsOptions {
  /** Only events with an id greater than this (the consumer's cursor). */
  afterId?: number;
  type?: string;
  /** At most this many (default 100, at most 1000). */
  limit?: number;
}
