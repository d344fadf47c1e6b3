/** A double as JSON: NaN and ±Infinity have no JSON form and become null. */
export function numberJson(v: number): string {
  return v === v && v !== Infinity && v !== -Infinity ? String(v) : 'null';
}

/**
 * Predictions as a JSON array: one number per row, or (several outputs) one array per row.
 * Built as a string directly: faster than JSON.stringify over a typed array, and NaN-safe.
 */
export function predictionsJson(out: Float64Array, numRows: number, width: number): string {
  let s = '[';
  if (width === 1) {
    for (let r = 0; r < numRows; r++) s += (r === 0 ? '' : ',') + numberJson(out[r]);
  } else {
    for (let r = 0; r < numRows; r++) {
      s += r === 0 ? '[' : ',[';
      for (let k = 0; k < width; k++) s += (k === 0 ? '' : ',') + numberJson(out[r * width + k]);
      s += ']';
    }
  }
  return s + ']';
}

/** Row-major predictions flattened (OIP's `data`). */
export function flatJson(out: Float64Array): string {
  let s = '[';
  for (let i = 0; i < out.length; i++) s += (i === 0 ? '' : ',') + numberJson(out[i]);
  return s + ']';
}
