// Drift and quality of one window against a reference, from ONE DuckDB query over the
// window's Parquet files: the window is counted on the reference's bins (and, for a small
// reference, at its values), then ml's detectDrift picks and runs each column's test.
import type {
  ParquetWindow,
  SqlSession,
  WindowColumnRequest,
  WindowColumnSummary,
} from '../../data/index.js';
import { summarizeParquetWindow } from '../../data/index.js';
import {
  detectDrift,
  distinctSorted,
  type ColumnReference,
  type ColumnWindow,
  type DriftOptions,
  type DriftReport,
} from '../../ml/index.js';
import { windowQuality, type WindowQuality } from '../quality/window-quality.js';
import type { DriftReference } from './drift-reference.js';

export interface WindowDriftOptions extends DriftOptions {
  /** The window's name for a reference column (default: the same name). */
  windowName?: (column: string) => string;
  /** Bookkeeping columns of the window's files that are not schema violations. */
  knownColumns?: string[];
}

export interface WindowDriftResult {
  /** Rows in the window. */
  rows: number;
  drift: DriftReport;
  quality: WindowQuality;
}

/** What DuckDB must count in the window for each reference column. */
export function windowRequests(
  reference: DriftReference,
  windowName: (column: string) => string = (c) => c,
): WindowColumnRequest[] {
  return reference.columns.map((c) =>
    c.kind === 'categorical'
      ? { name: windowName(c.name), kind: 'categorical' }
      : {
          name: windowName(c.name),
          kind: 'numeric',
          edges: c.histogram.edges,
          ...(c.values ? { points: distinctSorted(c.values) } : {}),
        },
  );
}

/** A DuckDB column summary as the window side of a drift test. */
export function toColumnWindow(reference: ColumnReference, s: WindowColumnSummary): ColumnWindow {
  if (reference.kind === 'categorical') {
    return {
      kind: 'categorical',
      name: reference.name,
      count: s.count,
      categories: s.categories ?? [],
    };
  }
  const bins = reference.histogram.counts.length;
  return {
    kind: 'numeric',
    name: reference.name,
    count: s.count,
    ...(s.min !== undefined ? { min: s.min } : {}),
    ...(s.max !== undefined ? { max: s.max } : {}),
    histogram: s.histogram ?? { counts: new Array<number>(bins).fill(0), below: 0, above: 0 },
    ...(s.atPoints ? { atReference: s.atPoints } : {}),
    ...(s.values ? { values: s.values } : {}),
  };
}

/** Drift and data quality of the window's rows against the reference. */
export async function computeWindowDrift(
  session: SqlSession,
  reference: DriftReference,
  window: ParquetWindow,
  options: WindowDriftOptions = {},
): Promise<WindowDriftResult> {
  const nameOf = options.windowName ?? ((c: string) => c);
  const summary = await summarizeParquetWindow(session, window, windowRequests(reference, nameOf));
  const byName = new Map(summary.columns.map((c) => [c.name, c]));
  const windows: ColumnWindow[] = [];
  for (const ref of reference.columns) {
    const s = byName.get(nameOf(ref.name));
    if (s) windows.push(toColumnWindow(ref, s));
  }
  return {
    rows: summary.rows,
    drift: detectDrift(reference.columns, windows, options),
    quality: windowQuality(reference, summary, {
      windowName: nameOf,
      knownColumns: options.knownColumns,
    }),
  };
}
