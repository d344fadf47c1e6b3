import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../core/index.js';
import type { DatasetService } from '../dataset-service.js';
import { sqlIdent, sqlString, withSqlSession, type SqlSession } from '../duckdb/index.js';
import { duckMessage } from '../ingest/load-source.js';
import { registerTable, type RegisterResult } from '../ingest/register-table.js';
import { checkDatasetName, formatRef } from '../refs.js';
import type { DatasetVersion } from '../types.js';
import {
  ROW_POSITION,
  splitCondition,
  SPLIT_PARTS,
  type SplitPart,
  type SplitSpec,
} from './split-spec.js';

export interface SqlTransformRequest {
  /** The dataset the result becomes a new version of. */
  name: string;
  /** A DuckDB SELECT over the inputs, each visible as a table named by its alias. */
  sql: string;
  /** alias → `dataset@version` (or `dataset` for its latest). */
  inputs: Record<string, string>;
  createdBy?: string;
  tags?: Record<string, string>;
}

export interface SplitRequest extends SplitSpec {
  /** The version to split, `dataset@version`. */
  source: string;
  /** Output datasets are `<prefix>-train`, `<prefix>-validation`, `<prefix>-test`. */
  prefix?: string;
  createdBy?: string;
}

const ALIAS = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Derived versions: a SQL transform over one or more versions, or a train / validation /
 * test split. Each output is an ordinary version whose transform row records its inputs,
 * which is what lineage walks.
 */
export class TransformService {
  constructor(private readonly datasets: DatasetService) {}

  /** Loads each version into the session as table `alias`; returns the versions by alias. */
  private async loadInputs(
    session: SqlSession,
    inputs: Record<string, string>,
  ): Promise<Record<string, DatasetVersion>> {
    const loaded: Record<string, DatasetVersion> = {};
    for (const [alias, ref] of Object.entries(inputs)) {
      if (!ALIAS.test(alias)) {
        throw new InvalidArgumentError(
          `input alias "${alias}" must be a SQL identifier (letters, digits, _)`,
          { field: `inputs.${alias}` },
        );
      }
      const version = await this.datasets.getVersion(ref);
      const local = await this.datasets.localCopy(version);
      try {
        await session.run(
          `create table ${sqlIdent(alias)} as select * from read_parquet(${sqlString(local.path)})`,
        );
      } finally {
        await local.cleanup();
      }
      loaded[alias] = version;
    }
    return loaded;
  }

  /** Runs `sql` over the inputs and registers the result as a new version of `name`. */
  async runSql(request: SqlTransformRequest): Promise<RegisterResult> {
    const name = checkDatasetName(request.name);
    if (Object.keys(request.inputs).length === 0) {
      throw new InvalidArgumentError('a transform needs at least one input', { field: 'inputs' });
    }
    if (request.sql.trim() === '') {
      throw new InvalidArgumentError('sql must not be empty', { field: 'sql' });
    }
    const dir = await mkdtemp(join(tmpdir(), 'gyre-transform-'));
    try {
      return await withSqlSession(async (session) => {
        const inputs = await this.loadInputs(session, request.inputs);
        // From here on the user's SQL runs: it may read the input tables and nothing else.
        await session.confine([join(dir, 'data.parquet')]);
        try {
          await session.run(`create table __result as ${request.sql.trim().replace(/;+$/, '')}`);
        } catch (error) {
          throw new InvalidArgumentError(`sql: ${duckMessage(error)}`, { field: 'sql' });
        }
        const columns = await session.describe('select * from __result');
        return registerTable(
          this.datasets,
          session,
          { table: '__result', columns },
          {
            datasetName: name,
            source: `transform:sql`,
            format: 'parquet',
            createdBy: request.createdBy ?? 'unknown',
            tags: request.tags ?? {},
            displayName: 'transform result',
            workDir: dir,
            transform: {
              kind: 'sql',
              spec: {
                sql: request.sql,
                inputs: Object.fromEntries(
                  Object.entries(inputs).map(([a, v]) => [a, formatRef(v.datasetName, v.version)]),
                ),
              },
              inputs: Object.fromEntries(Object.entries(inputs).map(([a, v]) => [a, v.id])),
            },
          },
        );
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Splits a version into train / validation / test versions, deterministically. The source
   * is read once; each part is registered as soon as it is cut.
   */
  async split(request: SplitRequest): Promise<Record<SplitPart, RegisterResult>> {
    const source = await this.datasets.getVersion(request.source);
    const prefix = checkDatasetName(request.prefix ?? source.datasetName, 'prefix');
    const condition = splitCondition(request, source.schema);
    return withSqlSession(async (session) => {
      const local = await this.datasets.localCopy(source);
      try {
        await session.run(
          `create table source as select *, ${condition.unit} as __u from read_parquet(${sqlString(local.path)}, file_row_number = true)`,
        );
      } catch (error) {
        throw new InvalidArgumentError(`split of ${request.source}: ${duckMessage(error)}`);
      } finally {
        await local.cleanup();
      }
      const results: Partial<Record<SplitPart, RegisterResult>> = {};
      for (const part of SPLIT_PARTS) {
        const table = `__${part}`;
        await session.run(
          `create table ${table} as select * exclude (__u, ${ROW_POSITION}) from source where ${condition.part(part)}`,
        );
        const columns = await session.describe(`select * from ${table}`);
        results[part] = await registerTable(
          this.datasets,
          session,
          { table, columns },
          {
            datasetName: `${prefix}-${part}`,
            source: 'transform:split',
            format: 'parquet',
            createdBy: request.createdBy ?? 'unknown',
            tags: { split: part },
            displayName: `${part} split`,
            transform: {
              kind: 'split',
              spec: {
                by: request.by,
                ...(request.seed !== undefined ? { seed: request.seed } : {}),
                ...(request.column ? { column: request.column } : {}),
                fractions: condition.fractions,
                part,
                source: formatRef(source.datasetName, source.version),
              },
              inputs: { source: source.id },
            },
          },
        );
      }
      return results as Record<SplitPart, RegisterResult>;
    });
  }
}
