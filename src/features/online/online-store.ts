/** A feature value as the online store keeps it. */
export type OnlineValue = number | string | boolean | null;

/** The latest values of one view for one entity. */
export interface OnlineRecord {
  /** When the values became true (epoch ms). */
  eventMs: number;
  values: Record<string, OnlineValue>;
}

/** One row materialization writes. */
export interface OnlineWrite extends OnlineRecord {
  /** The entity's join key values, encoded by entityKey(). */
  entityKey: string;
}

/**
 * Where the latest feature values per view and entity live for low-latency reads. Backends
 * are chosen by URL scheme (see open-online-store.ts): the metadata database (`sql`) or Redis
 * (`redis://`).
 */
export interface OnlineStore {
  /** `sql` or `redis`: recorded with each materialization. */
  readonly kind: string;
  /**
   * Writes rows of a view. A row replaces what is stored only when its event time is at or
   * after the stored one, so a late or repeated materialization never moves a value back.
   */
  write(view: string, rows: readonly OnlineWrite[]): Promise<void>;
  /** The stored record of each entity key (undefined where none), in the order asked. */
  read(view: string, entityKeys: readonly string[]): Promise<(OnlineRecord | undefined)[]>;
  close(): Promise<void>;
}

/**
 * One string per entity from its join key values, in the view's key order: the value itself
 * for one key (the common case, readable in Redis), a JSON array for several.
 */
export function entityKey(values: readonly unknown[]): string {
  return values.length === 1 ? String(values[0]) : JSON.stringify(values.map(String));
}
