// The monitoring entry point for callers outside the domain (the lead's alerts and canary
// analysis, the CLI): build a reference once, then check windows of a deployment's prediction
// log — or of any Parquet files — against it. Each call opens its own DuckDB session.
import { FailedPreconditionError } from '../core/index.js';
import { withSqlSession, type DatasetProfile } from '../data/index.js';
import {
  referenceFromParquet,
  referenceFromProfile,
  type DriftColumnKind,
  type DriftReference,
} from './drift/drift-reference.js';
import {
  computeWindowDrift,
  type WindowDriftOptions,
  type WindowDriftResult,
} from './drift/window-drift.js';
import { toParquetWindow, type MonitorWindow } from './windows/monitor-window.js';
import {
  DEFAULT_PREDICTION_LOG_LAYOUT,
  predictionLogFiles,
  type PredictionLogLayout,
} from './windows/prediction-log-layout.js';

/** The reference column that stands for the model's output in a log window. */
export const PREDICTION_COLUMN = 'prediction';

export interface DriftMonitorOptions {
  /** Local artifact root holding `prediction-logs/` (S3 roots are not read yet). */
  artifactRoot?: string;
  layout?: PredictionLogLayout;
}

export class DriftMonitor {
  readonly layout: PredictionLogLayout;

  constructor(private readonly options: DriftMonitorOptions = {}) {
    this.layout = options.layout ?? DEFAULT_PREDICTION_LOG_LAYOUT;
  }

  /** A reference from a dataset version's stored profile (reads no data). */
  referenceFromProfile(
    profile: DatasetProfile,
    options?: { columns?: string[]; dataset?: string; version?: number },
  ): DriftReference {
    return referenceFromProfile(profile, options);
  }

  /**
   * A reference from Parquet files: a dataset version's canonical file (exact tests for small
   * datasets), or a window of the log itself (`window` over the layout's time column).
   */
  referenceFromFiles(
    files: string[],
    columns: { name: string; kind: DriftColumnKind }[],
    window: MonitorWindow = { kind: 'all' },
    options?: { rawLimit?: number; bins?: number },
  ): Promise<DriftReference> {
    return withSqlSession((session) =>
      referenceFromParquet(
        session,
        toParquetWindow(files, window, this.layout.timeColumn),
        columns,
        options,
      ),
    );
  }

  /** Drift and quality of a window of Parquet files whose columns carry the reference's names. */
  checkFiles(
    reference: DriftReference,
    files: string[],
    window: MonitorWindow = { kind: 'all' },
    options: WindowDriftOptions & { timeColumn?: string } = {},
  ): Promise<WindowDriftResult> {
    const parquet = toParquetWindow(files, window, options.timeColumn ?? this.layout.timeColumn);
    return withSqlSession((session) => computeWindowDrift(session, reference, parquet, options));
  }

  /**
   * Drift and quality of a window of a deployment's prediction log. Reference columns are model
   * inputs by signature name, plus `prediction` for the output; the layout says what the log
   * calls them.
   */
  checkDeployment(
    reference: DriftReference,
    deployment: string,
    window: MonitorWindow,
    options: WindowDriftOptions = {},
  ): Promise<WindowDriftResult> {
    if (!this.options.artifactRoot) {
      throw new FailedPreconditionError(
        'DriftMonitor needs an artifactRoot to read prediction logs',
      );
    }
    const layout = this.layout;
    const files = predictionLogFiles(
      this.options.artifactRoot,
      deployment,
      layout,
      window.kind === 'time' ? window : undefined,
    );
    return this.checkFiles(reference, files, window, {
      windowName: (c) =>
        c === PREDICTION_COLUMN ? layout.predictionColumn : layout.featureColumn(c),
      knownColumns: [
        layout.timeColumn,
        layout.predictionColumn,
        layout.modelVersionColumn,
        layout.requestIdColumn,
        ...layout.metaColumns,
      ],
      ...options,
    });
  }
}
