import { newUuid, type Clock } from '../../core/index.js';
import type { SqlSession } from '../duckdb/index.js';
import type { DatasetStore } from '../store.js';
import type {
  ColumnSchema,
  DatasetProfile,
  DatasetVersion,
  ExpectationResult,
  ValidationReport,
} from '../types.js';
import { compareWithPrevious, runExpectation } from './run-expectations.js';
import type { ValidationSuite } from './suite.js';

export interface ValidateTableRequest {
  table: string;
  schema: ColumnSchema[];
  profile: DatasetProfile;
  datasetName: string;
  suite: ValidationSuite;
  suiteName?: string;
  /** The version to compare with (schema changes, distribution shift), if any. */
  previous?: DatasetVersion;
  /** Files the suite's SQL may still touch; usually none. */
  allowedPaths: string[];
  version?: DatasetVersion;
}

/**
 * Runs a suite (and the automatic comparison with the previous version) against a table
 * already loaded in `session`. The session is confined first: a suite's custom SQL can read
 * the table but no file on the server.
 */
export async function validateTable(
  ctx: { store: DatasetStore; clock: Clock },
  session: SqlSession,
  request: ValidateTableRequest,
): Promise<ValidationReport> {
  const target = {
    session,
    table: request.table,
    schema: request.schema,
    profile: request.profile,
  };
  const results: ExpectationResult[] = [];
  if (request.suite.compare_previous && request.previous) {
    const profile = await ctx.store.getProfile(request.previous.id);
    if (profile) {
      results.push(
        ...(await compareWithPrevious(target, {
          version: request.previous.version,
          schema: request.previous.schema,
          profile,
        })),
      );
    }
  }
  await session.confine(request.allowedPaths);
  for (const [index, expectation] of request.suite.expectations.entries()) {
    results.push(
      await runExpectation(target, expectation, `expectations[${index}] (${expectation.expect})`),
    );
  }
  const errors = results.filter((r) => !r.passed && r.severity === 'error').length;
  const warnings = results.filter((r) => !r.passed && r.severity === 'warn').length;
  return {
    id: newUuid(),
    datasetName: request.datasetName,
    ...(request.version ? { version: request.version.version, versionId: request.version.id } : {}),
    ...((request.suiteName ?? request.suite.name)
      ? { suiteName: request.suiteName ?? request.suite.name }
      : {}),
    passed: errors === 0,
    errors,
    warnings,
    results,
    createdAt: ctx.clock.now(),
  };
}
