/**
 * Protobuf-JSON as MLflow's server writes it: snake_case keys (callers build them so), int64
 * as JSON numbers, unset fields omitted (undefined is dropped by JSON.stringify), and doubles
 * that JSON cannot hold (NaN, ±Infinity) as the strings protobuf uses for them.
 */
export function toMlflowJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? nonFiniteName(v) : v,
  );
}

export function nonFiniteName(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** A double as protobuf-JSON, for hand-built hot paths (metric history). */
export function doubleJson(v: number): string {
  return Number.isFinite(v) ? String(v) : `"${nonFiniteName(v)}"`;
}
