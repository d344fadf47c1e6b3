// Puts feature views' sources into a DuckDB session as views with one shape: the join keys,
// `__ts` (the event time as a TIMESTAMP) and the features. Training sets and materialization
// both read views through here, so offline and online values come from the same SQL.
import { InvalidArgumentError } from '../../core/index.js';
import {
  formatRef,
  sqlIdent,
  sqlString,
  type DatasetService,
  type DatasetVersion,
  type SqlSession,
} from '../../data/index.js';
import type { FeatureViewDefinition } from '../definitions/definition-schema.js';

/** A local copy of a dataset version, read by DuckDB. */
export interface LocalVersion {
  version: DatasetVersion;
  path: string;
}

/** Every dataset version a set of views reads, copied locally once. */
export class SourceFiles {
  private readonly byRef = new Map<string, LocalVersion>();
  private readonly cleanups: (() => Promise<void>)[] = [];

  constructor(private readonly datasets: DatasetService) {}

  async load(ref: string): Promise<LocalVersion> {
    const known = this.byRef.get(ref);
    if (known) return known;
    const version = await this.datasets.getVersion(ref);
    const local = await this.datasets.localCopy(version);
    this.cleanups.push(() => local.cleanup());
    const loaded = { version, path: local.path };
    this.byRef.set(ref, loaded);
    return loaded;
  }

  /** The versions read so far. */
  versions(): DatasetVersion[] {
    return [...this.byRef.values()].map((l) => l.version);
  }

  paths(): string[] {
    return [...this.byRef.values()].map((l) => l.path);
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.cleanups.map((c) => c()));
  }
}

/** The refs a view reads: its dataset, or its SQL's inputs. */
export function sourceRefs(view: FeatureViewDefinition): string[] {
  return 'dataset' in view.source ? [view.source.dataset] : Object.values(view.source.inputs);
}

/** The dataset names a view reads (what a new version of which re-materializes it). */
export function sourceDatasets(view: FeatureViewDefinition): string[] {
  return sourceRefs(view).map((r) => r.split('@')[0]);
}

/** An expression turning a timestamp-like column of DuckDB type `type` into a TIMESTAMP. */
export function timestampExpr(column: string, type: string): string | undefined {
  const c = sqlIdent(column);
  if (/^(BIGINT|INTEGER|HUGEINT|UBIGINT|UINTEGER|SMALLINT)$/.test(type)) return `epoch_ms(${c})`;
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(type)) return `epoch_ms(cast(${c} as bigint))`;
  if (type.startsWith('TIMESTAMP') || type === 'DATE') return `cast(${c} as timestamp)`;
  if (type === 'VARCHAR') return `cast(${c} as timestamp)`;
  return undefined;
}

export const viewTable = (name: string) => sqlIdent(`__view_${name}`);

/**
 * Creates `__view_<name>` in the session: join keys, `__ts` and the features, read lazily
 * from the source files. Fails naming the view and field when a column is missing.
 */
export async function createViewTable(
  session: SqlSession,
  files: SourceFiles,
  view: FeatureViewDefinition,
  joinKeys: string[],
): Promise<void> {
  const raw = sqlIdent(`__raw_${view.name}`);
  if ('dataset' in view.source) {
    const local = await files.load(view.source.dataset);
    await session.run(
      `create or replace view ${raw} as select * from read_parquet(${sqlString(local.path)})`,
    );
  } else {
    for (const [alias, ref] of Object.entries(view.source.inputs)) {
      const local = await files.load(ref);
      await session.run(
        `create or replace view ${sqlIdent(alias)} as select * from read_parquet(${sqlString(local.path)})`,
      );
    }
    try {
      await session.run(
        `create or replace view ${raw} as ${view.source.sql.trim().replace(/;+$/, '')}`,
      );
    } catch (error) {
      throw new InvalidArgumentError(`feature view ${view.name}: source.sql: ${message(error)}`, {
        field: `${view.name}.source.sql`,
      });
    }
  }
  let columns: { name: string; type: string }[];
  try {
    columns = await session.describe(`select * from ${raw}`);
  } catch (error) {
    throw new InvalidArgumentError(`feature view ${view.name}: source: ${message(error)}`, {
      field: `${view.name}.source`,
    });
  }
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  const need = (column: string, field: string) => {
    if (!typeOf.has(column))
      throw new InvalidArgumentError(
        `feature view ${view.name}: ${field}: the source has no column ${column} (it has ${columns.map((c) => c.name).join(', ')})`,
        { field: `${view.name}.${field}` },
      );
    return typeOf.get(column)!;
  };
  joinKeys.forEach((k) => need(k, 'entities'));
  view.features.forEach((f, i) => need(f.name, `features[${i}]`));
  const ts = timestampExpr(view.timestampColumn, need(view.timestampColumn, 'timestampColumn'));
  if (ts === undefined)
    throw new InvalidArgumentError(
      `feature view ${view.name}: timestampColumn: ${view.timestampColumn} is ${typeOf.get(view.timestampColumn)}, not a timestamp or epoch milliseconds`,
      { field: `${view.name}.timestampColumn` },
    );
  const select = [
    ...joinKeys.map(sqlIdent),
    `${ts} as __ts`,
    ...view.features.map((f) => sqlIdent(f.name)),
  ].join(', ');
  await session.run(
    `create or replace view ${viewTable(view.name)} as select ${select} from ${raw} where ${sqlIdent(view.timestampColumn)} is not null`,
  );
}

/** `transactions@3` for a version. */
export const refOf = (v: DatasetVersion) => formatRef(v.datasetName, v.version);

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')[0]
    .replace(/^[A-Za-z ]+ Error: /, '')
    .trim();
}
