import { piiKindOfName, piiKindOfValue, type PiiKind } from './pii-patterns.js';

/** What the scan found in one column: counts only, never the values. */
export interface PiiColumnFinding {
  column: string;
  /** The kind the column's name suggests. */
  byName?: PiiKind;
  /** The kind most sampled values look like, with how many of them did. */
  byContent?: { kind: PiiKind; matches: number; sampled: number; fraction: number };
  /** What the scan suggests tagging it as (content wins over the name). */
  suggested?: PiiKind;
  /** The tag the column has now, if any. */
  tagged?: string;
}

/** A scan of one dataset version, for a person to confirm (`gyre data scan-pii --confirm`). */
export interface PiiScanReport {
  dataset: string;
  version: number;
  sampledRows: number;
  columns: PiiColumnFinding[];
}

/** Content counts as personal data when at least this share of non-null samples match. */
export const CONTENT_MATCH_FRACTION = 0.5;

/** Judges one column from its name and a sample of its values. */
export function judgeColumn(
  column: string,
  samples: readonly unknown[],
  tagged?: string,
): PiiColumnFinding {
  const byName = piiKindOfName(column);
  const counts = new Map<PiiKind, number>();
  let sampled = 0;
  for (const v of samples) {
    if (v === null || v === undefined || v === '') continue;
    sampled++;
    const kind = piiKindOfValue(v);
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  const byContent =
    best && sampled > 0
      ? { kind: best[0], matches: best[1], sampled, fraction: best[1] / sampled }
      : undefined;
  const contentKind =
    byContent && byContent.fraction >= CONTENT_MATCH_FRACTION ? byContent.kind : undefined;
  const suggested = contentKind ?? byName;
  return {
    column,
    ...(byName ? { byName } : {}),
    ...(byContent ? { byContent } : {}),
    ...(suggested ? { suggested } : {}),
    ...(tagged ? { tagged } : {}),
  };
}

/** True when values of this column must not be kept as examples (profiles, samples). */
export function looksPersonal(column: string, examples: readonly unknown[]): boolean {
  if (piiKindOfName(column)) return true;
  return examples.some((v) => piiKindOfValue(v) !== undefined);
}
