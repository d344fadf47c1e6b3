/** A durable event, read by consumers with a cursor over `id`. */
export interface GyreEvent<P = Record<string, unknown>> {
  /** Increases with every event; commit order equals id order (see KyselyEventStore). */
  id: number;
  /** Dotted name owned by the emitting domain, e.g. `dataset.version.created`. */
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

export interface ListEventsOptions {
  /** Only events with an id greater than this (the consumer's cursor). */
  afterId?: number;
  /** Only events of these types. */
  type?: string | readonly string[];
  /** At most this many (default 100, at most 1000). */
  limit?: number;
}
