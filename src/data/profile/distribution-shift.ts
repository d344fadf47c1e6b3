import { populationStabilityIndex } from '../../ml/index.js';
import { sqlIdent, type SqlSession, type SqlValue } from '../duckdb/index.js';
import type { ColumnSchema, DatasetProfile } from '../types.js';
import { countsFromHistogramMap } from './compute-profile.js';

/** Population stability index above which a column's distribution counts as shifted. */
export const LARGE_SHIFT_PSI = 0.2;

export interface ColumnShift {
  column: string;
  /** Population stability index between the baseline profile and the new data. */
  psi: number;
  /** How the comparison was binned. */
  basis: 'histogram' | 'categories';
}

function entries(map: SqlValue): [string, number][] {
  if (Array.isArray(map)) {
    return map.map((e) => {
      const entry = e as { key: SqlValue; value: SqlValue };
      return [String(entry.key), Number(entry.value)];
    });
  }
  return Object.entries((map ?? {}) as Record<string, SqlValue>).map(([k, v]) => [k, Number(v)]);
}

/**
 * Bins new data (table `table`) on the baseline profile's stored histogram edges and
 * categories, in one query, and returns each shared column's PSI. Values beyond the last
 * edge, and categories the baseline did not list, get a bin of their own.
 */
export async function measureShift(
  session: SqlSession,
  table: string,
  schema: ColumnSchema[],
  baseline: DatasetProfile,
): Promise<ColumnShift[]> {
  const selects: string[] = [];
  const finish: ((row: Record<string, SqlValue>) => ColumnShift)[] = [];
  schema.forEach((column, i) => {
    const base = baseline.columns.find((c) => c.name === column.name);
    if (!base) return;
    const col = sqlIdent(column.name);
    if (base.histogram && (column.logicalType === 'numeric' || column.logicalType === 'integer')) {
      const edges = base.histogram.edges;
      selects.push(
        `histogram(TRY_CAST(${col} AS DOUBLE), [${edges.slice(1).map(String).join(', ')}]::DOUBLE[]) AS "h${i}"`,
      );
      finish.push((row) => {
        const counts = countsFromHistogramMap(row[`h${i}`], edges);
        const total = entries(row[`h${i}`]).reduce((s, [, n]) => s + n, 0);
        const inside = counts.reduce((s, n) => s + n, 0);
        return {
          column: column.name,
          psi: populationStabilityIndex(
            [...base.histogram!.counts, 0],
            [...counts, total - inside],
          ),
          basis: 'histogram',
        };
      });
    } else if (base.topK && base.topK.length > 0) {
      selects.push(`histogram(${col}::VARCHAR) AS "c${i}"`);
      finish.push((row) => {
        const now = new Map(entries(row[`c${i}`]));
        const known = base.topK!.map((k) => k.value);
        const expected = [...base.topK!.map((k) => k.count)];
        expected.push(Math.max(base.count - expected.reduce((a, b) => a + b, 0), 0));
        const actual = known.map((v) => now.get(v) ?? 0);
        const totalNow = [...now.values()].reduce((a, b) => a + b, 0);
        actual.push(totalNow - actual.reduce((a, b) => a + b, 0));
        return {
          column: column.name,
          psi: populationStabilityIndex(expected, actual),
          basis: 'categories',
        };
      });
    }
  });
  if (selects.length === 0) return [];
  const [row] = await session.all(`select ${selects.join(', ')} from ${table}`);
  return finish.map((f) => f(row));
}
