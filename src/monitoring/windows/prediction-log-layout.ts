// Where a deployment's prediction log lives and what its columns are called. Serving owns the
// log and writes it; monitoring only reads it, so everything it assumes about the layout is
// here, in one value the composition root can override when serving's format settles.
import { join } from 'node:path';

export interface PredictionLogLayout {
  /** Folder under the artifact root that holds every deployment's log. */
  prefix: string;
  /** The folder of one deployment under the prefix. */
  deploymentFolder(deployment: string): string;
  /** Request time (TIMESTAMP, TIMESTAMPTZ or epoch milliseconds). */
  timeColumn: string;
  predictionColumn: string;
  modelVersionColumn: string;
  requestIdColumn: string;
  /** The log column holding a model input, by its name in the model signature. */
  featureColumn(feature: string): string;
  /** Other bookkeeping columns the log may hold; not schema violations. */
  metaColumns: string[];
}

/**
 * The assumed convention: `<root>/prediction-logs/<deployment>/date=YYYY-MM-DD/hour=HH/*.parquet`
 * (UTC), feature columns named as in the model signature, plus `prediction`, `model_version`,
 * `request_id` and `timestamp`.
 */
export const DEFAULT_PREDICTION_LOG_LAYOUT: PredictionLogLayout = {
  prefix: 'prediction-logs',
  deploymentFolder: (deployment) => deployment,
  timeColumn: 'timestamp',
  predictionColumn: 'prediction',
  modelVersionColumn: 'model_version',
  requestIdColumn: 'request_id',
  featureColumn: (feature) => feature,
  metaColumns: [],
};

/** The layout with some parts replaced, e.g. `{ timeColumn: 'ts', featureColumn: (f) => `feature_${f}` }`. */
export function predictionLogLayout(overrides: Partial<PredictionLogLayout>): PredictionLogLayout {
  return { ...DEFAULT_PREDICTION_LOG_LAYOUT, ...overrides };
}

const HOUR_MS = 3_600_000;
/** Beyond this many hours a window reads every partition and filters by time instead. */
const MAX_LISTED_HOURS = 24 * 31;

const toMs = (t: string | number) => (typeof t === 'number' ? t : Date.parse(t));

/**
 * Parquet globs for one deployment's log under a local artifact root. Given a time range, only
 * the hour partitions it overlaps (UTC), so DuckDB never opens files outside the window.
 */
export function predictionLogFiles(
  root: string,
  deployment: string,
  layout: PredictionLogLayout = DEFAULT_PREDICTION_LOG_LAYOUT,
  range?: { start: string | number; end: string | number },
): string[] {
  const base = join(root, layout.prefix, layout.deploymentFolder(deployment));
  if (range) {
    const start = Math.floor(toMs(range.start) / HOUR_MS) * HOUR_MS;
    const end = toMs(range.end);
    if (
      Number.isFinite(start) &&
      Number.isFinite(end) &&
      (end - start) / HOUR_MS <= MAX_LISTED_HOURS
    ) {
      const globs: string[] = [];
      for (let t = start; t < end; t += HOUR_MS) {
        const iso = new Date(t).toISOString();
        globs.push(
          join(base, `date=${iso.slice(0, 10)}`, `hour=${iso.slice(11, 13)}`, '*.parquet'),
        );
      }
      return globs;
    }
  }
  return [join(base, 'date=*', 'hour=*', '*.parquet')];
}
