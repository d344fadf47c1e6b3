// Checks a monitor's next window of the prediction log in one DuckDB session: the window's
// rows (answered, not shadowed) are cut once into a scratch Parquet file; drift and quality
// come from one aggregate query over it, realized performance from joining it with the
// labels that came back, and the row counts per model version from a third small query.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FailedPreconditionError, newUuid } from '../../core/index.js';
import {
  sqlIdent,
  sqlString,
  withSqlSession,
  type DatasetService,
  type SqlSession,
} from '../../data/index.js';
import type { DriftOptions } from '../../ml/index.js';
import {
  referenceFromParquet,
  referenceFromProfile,
  type DriftColumnKind,
  type DriftReference,
} from '../drift/drift-reference.js';
import { computeWindowDrift } from '../drift/window-drift.js';
import { joinLabels } from '../feedback/label-join.js';
import { realizedPerformance } from '../feedback/realized-metrics.js';
import type { KyselyFeedbackStore } from '../store/feedback-store.js';
import { predictionLogFiles } from '../windows/prediction-log-layout.js';
import { SERVING_LOG_LAYOUT, featureOfLogColumn } from '../windows/serving-log-layout.js';
import type { FeatureDriftResult, Monitor, MonitorResult, MonitorSpec } from './monitor-types.js';
import { measureResourceUse } from './resource-use.js';

export type Evaluation =
  | { kind: 'skipped'; reason: string; rows: number }
  | { kind: 'checked'; result: Omit<MonitorResult, 'seq'>; cursor: number };

/** An explicit window instead of "the next one": a time range of the log. */
export interface WindowOverride {
  start: number;
  end: number;
}

interface BuiltReference {
  reference: DriftReference;
  /** A reference column's name in the window file. */
  windowName: (column: string) => string;
  /** The reference column that stands for the prediction, if any. */
  predictionColumn?: string;
  /** A reference column's name as a user calls the feature. */
  featureName: (column: string) => string;
}

const kindOfType = (type: string): DriftColumnKind =>
  /^(VARCHAR|BOOL)/i.test(type) ? 'categorical' : 'numeric';

export interface WindowEvaluatorOptions {
  datasets: DatasetService;
  feedback: KyselyFeedbackStore;
  /** The artifact store's root URI; prediction logs are read from it (local roots only). */
  artifactRootUri: string;
  /** Price of a CPU-hour of serving, for cost per 1,000 predictions. */
  cpuHourPriceUsd: number;
}

export class WindowEvaluator {
  private readonly references = new Map<string, BuiltReference>();

  constructor(private readonly options: WindowEvaluatorOptions) {}

  private root(): string {
    const uri = this.options.artifactRootUri;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://'))
      throw new FailedPreconditionError(
        `monitors read prediction logs from a local artifact root; ${uri.split('://')[0]}:// roots are not supported yet`,
      );
    return uri.startsWith('file://') ? new URL(uri).pathname : uri;
  }

  /** Checks the next window of `monitor` (or `override`), reading the log up to `now`. */
  async evaluate(monitor: Monitor, now: number, override?: WindowOverride): Promise<Evaluation> {
    const root = this.root();
    const spec = monitor.spec;
    const dir = await mkdtemp(join(tmpdir(), 'gyre-monitor-'));
    try {
      return await withSqlSession(async (session) => {
        const files = await this.logFiles(session, root, spec.deployment);
        if (files.length === 0)
          return { kind: 'skipped', reason: 'no predictions logged yet', rows: 0 };
        const windowFile = join(dir, 'window.parquet');
        const conditions = override
          ? [`t >= ${override.start}`, `t < ${override.end}`]
          : [
              `t <= ${now}`,
              ...(monitor.cursor !== undefined ? [`t > ${monitor.cursor}`] : []),
              ...(spec.window.kind === 'time' ? [`t > ${now - spec.window.durationMs}`] : []),
            ];
        const limit = !override && spec.window.kind === 'count' ? spec.window.rows : undefined;
        await cutWindow(session, files, conditions, limit, windowFile);
        const bounds = (
          await session.all(
            `select count(*) as n, min(epoch_ms(ts)) as s, max(epoch_ms(ts)) as e from read_parquet(${sqlString(windowFile)})`,
          )
        )[0];
        const rows = Number(bounds.n ?? 0);
        if (rows < spec.minRows)
          return {
            kind: 'skipped',
            reason: `the window holds ${rows} rows; the monitor needs at least ${spec.minRows}`,
            rows,
          };
        const start = Number(bounds.s);
        const end = Number(bounds.e);
        const schema = await session.describe(
          `select * from read_parquet(${sqlString(windowFile)})`,
        );
        const built = await this.reference(session, monitor, files, schema, dir);
        const drift = await computeWindowDrift(
          session,
          built.reference,
          { files: [windowFile] },
          {
            ...driftOptions(spec),
            windowName: built.windowName,
            knownColumns: schema
              .map((c) => c.name)
              .filter(
                (c) => SERVING_LOG_LAYOUT.metaColumns.includes(c) || c.startsWith('prediction'),
              ),
          },
        );
        const features: FeatureDriftResult[] = [];
        let prediction: FeatureDriftResult | undefined;
        for (const c of drift.drift.columns) {
          const r = {
            feature: built.featureName(c.column),
            test: c.test,
            score: c.score,
            threshold: c.threshold,
            drifted: c.drifted,
          };
          if (c.column === built.predictionColumn) prediction = { ...r, feature: 'prediction' };
          else features.push(r);
        }
        const tested = features.length;
        const driftShare = tested > 0 ? features.filter((f) => f.drifted).length / tested : 0;
        const versionRows = await session.all(
          `select model_version as v, count(*) as n from read_parquet(${sqlString(windowFile)}) group by 1 order by n desc`,
        );
        const rowsByModelVersion = Object.fromEntries(
          versionRows.map((r) => [String(r.v), Number(r.n)]),
        );
        const labelled = await joinLabels(
          session,
          this.options.feedback,
          spec.deployment,
          windowFile,
          start,
          dir,
        );
        const resources = await measureResourceUse(
          session,
          root,
          spec.deployment,
          { start, end },
          this.options.cpuHourPriceUsd,
        );
        const quality = {
          ...drift.quality,
          columns: drift.quality.columns
            .filter((c) => c.column !== built.predictionColumn)
            .map((c) => ({ ...c, column: built.featureName(c.column) })),
        };
        return {
          kind: 'checked',
          cursor: end,
          result: {
            id: newUuid(),
            monitor: monitor.name,
            deployment: spec.deployment,
            windowStart: start,
            windowEnd: end,
            rows,
            ...(versionRows.length > 0 ? { modelVersion: String(versionRows[0].v) } : {}),
            rowsByModelVersion,
            driftShare,
            datasetDrift: tested > 0 && driftShare >= (spec.thresholds.driftShare ?? 0.5),
            features,
            ...(prediction ? { prediction } : {}),
            quality,
            realized: realizedPerformance(spec.task, labelled),
            ...(resources ? { resources } : {}),
            createdAt: now,
          },
        };
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async logFiles(session: SqlSession, root: string, deployment: string): Promise<string[]> {
    const globs = predictionLogFiles(root, deployment, SERVING_LOG_LAYOUT);
    const rows = await session.all(
      `select file from glob([${globs.map(sqlString).join(', ')}]) order by file`,
    );
    return rows.map((r) => String(r.file));
  }

  /** The monitor's reference, built once per monitor definition and dataset version. */
  private async reference(
    session: SqlSession,
    monitor: Monitor,
    files: string[],
    windowSchema: { name: string; type: string }[],
    dir: string,
  ): Promise<BuiltReference> {
    const spec = monitor.spec;
    const logFeatures = windowSchema
      .map((c) => ({ feature: featureOfLogColumn(c.name), type: c.type }))
      .filter((c): c is { feature: string; type: string } => c.feature !== undefined);
    const wanted = (available: string[]) =>
      spec.columns ?? logFeatures.map((c) => c.feature).filter((f) => available.includes(f));

    if (spec.reference.kind === 'window') {
      const key = `${monitor.name}:${monitor.updatedAt}`;
      const cached = this.references.get(key);
      if (cached) return cached;
      const referenceFile = join(dir, 'reference.parquet');
      const start = toMs(spec.reference.start);
      const end = toMs(spec.reference.end);
      await cutWindow(session, files, [`t >= ${start}`, `t < ${end}`], undefined, referenceFile);
      const columns = wanted(logFeatures.map((c) => c.feature)).map((f) => ({
        name: SERVING_LOG_LAYOUT.featureColumn(f),
        kind: spec.kinds?.[f] ?? kindOfType(logFeatures.find((c) => c.feature === f)?.type ?? ''),
      }));
      columns.push({ name: SERVING_LOG_LAYOUT.predictionColumn, kind: 'numeric' });
      const reference = await referenceFromParquet(session, { files: [referenceFile] }, columns, {
        rawLimit: spec.thresholds.rawLimit,
      });
      if (reference.rows === 0)
        throw new FailedPreconditionError(
          `monitor ${monitor.name}'s reference window holds no predictions`,
          { monitor: monitor.name },
        );
      const built: BuiltReference = {
        // The scratch file is gone after this check; the summary is all a reference keeps.
        reference: { ...reference, source: { kind: 'parquet', files } },
        windowName: (c) => c,
        predictionColumn: SERVING_LOG_LAYOUT.predictionColumn,
        featureName: (c) => featureOfLogColumn(c) ?? c,
      };
      this.references.set(key, built);
      return built;
    }

    const { dataset, source, target } = spec.reference;
    const version = await this.options.datasets.getVersion(dataset);
    const key = `${monitor.name}:${monitor.updatedAt}:${version.id}`;
    const cached = this.references.get(key);
    if (cached) return cached;
    const available = version.schema.map((c) => c.name);
    const columns = wanted(available);
    const kinds = new Map(
      version.schema.map((c) => [
        c.name,
        (c.logicalType === 'categorical' || c.logicalType === 'boolean'
          ? 'categorical'
          : 'numeric') as DriftColumnKind,
      ]),
    );
    const withTarget = target && available.includes(target) ? [...columns, target] : columns;
    let reference: DriftReference;
    if (source === 'profile') {
      const profile = await this.options.datasets.getProfile(
        `${version.datasetName}@${version.version}`,
      );
      reference = referenceFromProfile(profile, {
        columns: withTarget,
        dataset: version.datasetName,
        version: version.version,
      });
    } else {
      reference = await referenceFromParquet(
        session,
        { files: [join(this.root(), version.artifactPath)] },
        withTarget.map((name) => ({
          name,
          kind: spec.kinds?.[name] ?? kinds.get(name) ?? 'numeric',
        })),
        { rawLimit: spec.thresholds.rawLimit },
      );
    }
    const built: BuiltReference = {
      reference,
      windowName: (c) =>
        c === target ? SERVING_LOG_LAYOUT.predictionColumn : SERVING_LOG_LAYOUT.featureColumn(c),
      ...(target ? { predictionColumn: target } : {}),
      featureName: (c) => c,
    };
    this.references.set(key, built);
    return built;
  }
}

const toMs = (t: string | number) => (typeof t === 'number' ? t : Date.parse(t));

/** Copies the answered (not shadowed) rows matching `conditions` on `t` into one Parquet file. */
async function cutWindow(
  session: SqlSession,
  files: string[],
  conditions: string[],
  latest: number | undefined,
  out: string,
): Promise<void> {
  const source = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true, hive_partitioning = false)`;
  const where = [`${sqlIdent('role')} <> 'shadow'`, ...conditions].join(' and ');
  const order = latest !== undefined ? ` order by t desc limit ${latest}` : '';
  await session.run(
    `copy (select * exclude (t) from (select *, epoch_ms(ts) as t from ${source}) where ${where}${order}) to ${sqlString(out)} (format parquet)`,
  );
}

function driftOptions(spec: MonitorSpec): DriftOptions {
  const t = spec.thresholds;
  const thresholds: DriftOptions['thresholds'] = {};
  if (t.pValue !== undefined)
    Object.assign(thresholds, { ks: t.pValue, chisquare: t.pValue, z: t.pValue });
  if (t.distance !== undefined)
    Object.assign(thresholds, { wasserstein: t.distance, jensenshannon: t.distance });
  return {
    ...(t.rawLimit !== undefined ? { smallReferenceRows: t.rawLimit } : {}),
    ...(t.driftShare !== undefined ? { driftShare: t.driftShare } : {}),
    thresholds,
  };
}
