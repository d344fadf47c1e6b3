import type { ColumnProfile } from '../data/index.js';

/**
 * A value a user may copy (a count, a min or max): printed exactly as stored, because a
 * rounded 15000 for a true 14999 sends people looking for data that is not there.
 */
export const exact = (n: number | string | undefined): string =>
  typeof n === 'number' ? String(n) : (n ?? '');

/**
 * A summary value (a mean): 4 significant figures, marked with `~` when rounding changed it,
 * so a rounded number is never mistaken for an exact one.
 */
export function rounded(n: number | undefined): string {
  if (n === undefined) return '';
  const short = Number(n.toPrecision(4));
  return short === n ? String(n) : `~${short}`;
}

/** Printed under tables that hold rounded or estimated numbers. */
export const ROUNDING_NOTE =
  '~ marks a rounded value (to 4 significant figures) or an estimate; --json has every value in full\n';

/** The rows of `gyre data show`'s profile table. */
export function profileRows(columns: ColumnProfile[]): string[][] {
  return columns.map((c) => [
    c.name,
    c.logicalType,
    exact(c.nulls),
    // Profiles stored before exact counts existed only hold the HyperLogLog estimate.
    c.distinct === undefined ? `~${c.approxDistinct}` : exact(c.distinct),
    exact(c.min),
    exact(c.max),
    rounded(c.mean),
    c.topK
      ? c.topK
          .slice(0, 3)
          .map((k) => `${k.value} (${(k.frequency * 100).toFixed(1)}%)`)
          .join(', ')
      : '',
  ]);
}
