import { InvalidArgumentError, systemClock, type Clock } from '../../core/index.js';
import type { DatasetService } from '../dataset-service.js';
import { sqlIdent, sqlString, withSqlSession } from '../duckdb/index.js';
import type { LineageService } from '../lineage/lineage-service.js';
import { parseVersionRef } from '../refs.js';
import { PII_KINDS, type PiiKind } from './pii-patterns.js';
import { judgeColumn, type PiiScanReport } from './pii-scan.js';
import type { KyselyPiiTagStore, PiiTag } from './pii-tag-store.js';

/** Physical types whose values can spell personal data (text, and long integers: card numbers). */
const SCANNED_TYPES = /^(VARCHAR|BIGINT|HUGEINT|UBIGINT)/;

/**
 * PII tags on dataset columns (they hold for every version of a dataset, and for what was
 * derived from it) and scans that suggest them from column names and sampled values. Reports
 * carry counts only: nothing here returns or stores a value it looked at.
 */
export class PiiService {
  constructor(
    private readonly deps: {
      datasets: DatasetService;
      lineage: LineageService;
      store: KyselyPiiTagStore;
      clock?: Clock;
    },
  ) {}

  /** Scans a version (`name` or `name@version`): name patterns on every column, content on a sample. */
  async scan(ref: string, sampleRows = 1000): Promise<PiiScanReport> {
    const version = await this.deps.datasets.getVersion(ref);
    const tagged = await this.tags(version.datasetName);
    const scanned = version.schema.filter((c) => SCANNED_TYPES.test(c.physicalType));
    let samples: Record<string, unknown[]> = {};
    if (scanned.length > 0 && version.rowCount > 0) {
      const copy = await this.deps.datasets.localCopy(version);
      try {
        samples = await withSqlSession(async (session) => {
          const select = scanned.map((c, i) => `${sqlIdent(c.name)}::VARCHAR AS c${i}`).join(', ');
          const rows = await session.all(
            `select ${select} from read_parquet(${sqlString(copy.path)}) using sample reservoir(${Math.max(1, Math.floor(sampleRows))} rows) repeatable (7)`,
          );
          return Object.fromEntries(scanned.map((c, i) => [c.name, rows.map((r) => r[`c${i}`])]));
        });
      } finally {
        await copy.cleanup();
      }
    }
    return {
      dataset: version.datasetName,
      version: version.version,
      sampledRows: Math.min(version.rowCount, sampleRows),
      columns: version.schema.map((c) =>
        judgeColumn(c.name, samples[c.name] ?? [], tagged[c.name]),
      ),
    };
  }

  /** Tags every column the scan suggests and that has no tag yet; returns what it tagged. */
  async confirm(report: PiiScanReport, by: string): Promise<Record<string, PiiKind>> {
    const fresh: Record<string, PiiKind> = {};
    for (const c of report.columns) if (c.suggested && !c.tagged) fresh[c.column] = c.suggested;
    if (Object.keys(fresh).length > 0) await this.tag(report.dataset, fresh, by);
    return fresh;
  }

  /** Column → kind of a dataset's tags. */
  async tags(dataset: string): Promise<Record<string, string>> {
    return Object.fromEntries((await this.list(dataset)).map((t) => [t.column, t.kind]));
  }

  async list(dataset: string): Promise<PiiTag[]> {
    return this.deps.store.list(parseVersionRef(dataset).name);
  }

  /** Sets tags (column → kind; `null` removes one); columns must exist in the newest version. */
  async tag(dataset: string, tags: Record<string, string | null>, by: string): Promise<PiiTag[]> {
    const latest = await this.deps.datasets.getVersion(parseVersionRef(dataset).name);
    const columns = new Set(latest.schema.map((c) => c.name));
    for (const [column, kind] of Object.entries(tags)) {
      if (!columns.has(column))
        throw new InvalidArgumentError(
          `column ${column} is not in ${latest.datasetName} (columns: ${[...columns].join(', ')})`,
          { field: 'column' },
        );
      if (kind !== null && !(PII_KINDS as readonly string[]).includes(kind))
        throw new InvalidArgumentError(`PII kind ${kind}: use one of ${PII_KINDS.join(', ')}`, {
          field: 'kind',
        });
    }
    await this.deps.store.set(latest.datasetName, tags, by, (this.deps.clock ?? systemClock).now());
    return this.list(latest.datasetName);
  }

  /**
   * The PII columns of everything a model version was trained from: the tags of every dataset
   * upstream of it in lineage (a tag on `customers` covers the splits derived from it).
   */
  async columnsUpstreamOf(model: string, version: number): Promise<Record<string, string>> {
    const graph = await this.deps.lineage.graph('model_version', `${model}@${version}`, 'up');
    const names = new Set(
      graph.nodes.filter((n) => n.kind === 'dataset').map((n) => parseVersionRef(n.label).name),
    );
    const out: Record<string, string> = {};
    for (const name of names) Object.assign(out, await this.tags(name));
    return out;
  }
}
