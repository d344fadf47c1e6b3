import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  putFileContentAddressed,
  sha256OfFile,
  type ArtifactStore,
} from '../../artifacts/index.js';
import { FailedPreconditionError, InvalidArgumentError, type Clock } from '../../core/index.js';
import { sqlIdent, sqlString, type SqlColumn, type SqlSession } from '../duckdb/index.js';
import { profileTable } from '../profile/compute-profile.js';
import type { CreateVersionResult, DatasetStore, LandingOrigin, NewTransform } from '../store.js';
import type { LogicalType, SourceFormat, ValidationReport } from '../types.js';
import type { ValidationSuite } from '../validation/suite.js';
import { validateTable } from '../validation/validate-table.js';
import { checkCasts, type RowPlace } from './check-casts.js';
import { CAST_FOR, needsCast } from './infer-schema.js';
import { duckMessage } from './load-source.js';

/** Where datasets' canonical Parquet copies live in the artifact store, by their sha256. */
export const DATASET_PREFIX = 'datasets';

export interface RegisterContext {
  store: DatasetStore;
  artifacts: ArtifactStore;
  clock: Clock;
}

export interface RegisterRequest {
  datasetName: string;
  /** sha256 identifying the content; the Parquet copy's own digest when omitted. */
  digest?: string;
  source: string;
  format: SourceFormat;
  createdBy: string;
  tags: Record<string, string>;
  overrides?: Record<string, LogicalType>;
  /** Validated before anything is written; a failure registers nothing. */
  suite?: { suite: ValidationSuite; name?: string };
  transform?: NewTransform;
  landing?: LandingOrigin;
  displayName: string;
  /** A delimited source's line of a table row, so a failing cast can name the line. */
  lineOfRow?: (row: number) => number;
  /**
   * A directory the caller created (and removes) for the Parquet copy, for sessions already
   * confined to `<workDir>/data.parquet`; a temp directory otherwise.
   */
  workDir?: string;
}

export interface RegisterResult extends CreateVersionResult {
  report?: ValidationReport;
}

/** Thrown when a suite fails before registration; `details.report` holds the report. */
export class ValidationFailedError extends FailedPreconditionError {
  constructor(readonly report: ValidationReport) {
    const first = report.results.find((r) => !r.passed && r.severity === 'error');
    super(
      `${report.datasetName}: validation failed with ${report.errors} error(s)${first ? `: ${first.message}` : ''}; nothing was registered`,
      { report },
    );
  }
}

async function applyOverrides(
  session: SqlSession,
  table: string,
  columns: SqlColumn[],
  overrides: Record<string, LogicalType>,
  place: RowPlace,
): Promise<{ table: string; columns: SqlColumn[] }> {
  const casts = columns.filter((c) => overrides[c.name] && needsCast(c, overrides[c.name]));
  if (casts.length === 0) return { table, columns };
  const checks = casts.map((c) => ({
    column: c,
    logical: overrides[c.name],
    target: CAST_FOR[overrides[c.name]],
  }));
  await checkCasts(session, table, checks, place);
  const list = columns
    .map((c) => {
      const col = sqlIdent(c.name);
      const cast = casts.includes(c) ? CAST_FOR[overrides[c.name]] : undefined;
      return cast ? `CAST(${col} AS ${cast}) AS ${col}` : col;
    })
    .join(', ');
  const target = `${table}_typed`;
  try {
    await session.run(`create table ${target} as select ${list} from ${table}`);
  } catch (error) {
    const names = casts.map((c) => `${c.name} → ${overrides[c.name]}`).join(', ');
    throw new InvalidArgumentError(
      `cannot apply type overrides (${names}): ${duckMessage(error)}`,
      {
        field: 'types',
      },
    );
  }
  return { table: target, columns: await session.describe(`select * from ${target}`) };
}

/**
 * Turns a loaded table into a registered version: applies type overrides, profiles, writes
 * the canonical Parquet copy, validates (when a suite is given) and only then stores the
 * Parquet file and the version row. Identical content returns the existing version.
 */
export async function registerTable(
  ctx: RegisterContext,
  session: SqlSession,
  loaded: { table: string; columns: SqlColumn[] },
  request: RegisterRequest,
): Promise<RegisterResult> {
  const { table, columns } = await applyOverrides(
    session,
    loaded.table,
    loaded.columns,
    request.overrides ?? {},
    request,
  );
  const { schema, profile } = await profileTable(session, table, columns, request.overrides);
  const dir = request.workDir ?? (await mkdtemp(join(tmpdir(), 'gyre-parquet-')));
  try {
    const parquet = join(dir, 'data.parquet');
    await session.run(`copy ${table} to ${sqlString(parquet)} (format parquet, compression zstd)`);
    const digest = request.digest ?? (await sha256OfFile(parquet));
    const existing = await ctx.store.getVersion(request.datasetName);
    const same = (await ctx.store.listVersions(request.datasetName)).find(
      (v) => v.digest === digest,
    );
    const input = {
      datasetName: request.datasetName,
      digest,
      artifactPath: same?.artifactPath ?? '',
      source: request.source,
      format: request.format,
      schema,
      rowCount: profile.rowCount,
      bytes: (await stat(parquet)).size,
      createdBy: request.createdBy,
      tags: request.tags,
      profile,
    };
    if (same) {
      // Known content: nothing new to validate or store; a landing file still gets its
      // ledger row (through createVersion) so it is not looked at again.
      if (!request.landing) return { version: same, created: false };
      return ctx.store.createVersion(input, { landing: request.landing });
    }

    let report: ValidationReport | undefined;
    if (request.suite) {
      report = await validateTable(ctx, session, {
        table,
        schema,
        profile,
        datasetName: request.datasetName,
        suite: request.suite.suite,
        suiteName: request.suite.name,
        previous: existing,
        allowedPaths: [],
      });
      if (!report.passed) throw new ValidationFailedError(report);
    }
    const stored = await putFileContentAddressed(ctx.artifacts, DATASET_PREFIX, parquet);
    const result = await ctx.store.createVersion(
      { ...input, artifactPath: stored.path },
      { transform: request.transform, landing: request.landing },
    );
    if (report && result.created) {
      const bound = { ...report, version: result.version.version, versionId: result.version.id };
      await ctx.store.saveReport(bound);
      report = bound;
    }
    return { ...result, ...(report ? { report } : {}) };
  } finally {
    if (!request.workDir) await rm(dir, { recursive: true, force: true });
  }
}
