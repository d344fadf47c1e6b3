// The benchmark's data, written once by DuckDB into a cache directory: a training table (the
// reference: 100,000 rows, and its first 1,000 rows as a small reference) and a prediction
// log of 1,000,000 rows with the same 13 features, four of them shifted. Randomness comes from
// DuckDB's hash of (row, stream), so every run and machine gets the same numbers.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const NUMERIC_FEATURES = [
  'f0_normal',
  'f1_lognormal',
  'f2_uniform',
  'f3_exponential',
  'f4_age',
  'f5_bimodal',
  'f6_normal_wide',
  'f7_amount',
  'f8_with_nulls',
  'f9_skewed',
] as const;
export const CATEGORICAL_FEATURES = ['c0_channel', 'c1_segment', 'c2_merchant'] as const;
/** The 13 features, in the order the CSV copies hold them. */
export const COLUMNS = [...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES];
/** Features whose log distribution differs from training (the rest are drawn alike). */
export const SHIFTED = ['f0_normal', 'f3_exponential', 'f9_skewed', 'c1_segment'];

/** Uniform in (0, 1) from row i and stream k. */
const u = (k: number) => `((hash(i * 64 + ${k}) % 1000000007) + 0.5) / 1000000007.0`;
const normal = (k: number) => `(sqrt(-2 * ln(${u(k)})) * cos(2 * pi() * ${u(k + 1)}))`;

/** SELECT list for one table; `log` applies the shifts. */
function features(log: boolean): string {
  const s = (shifted: string, base: string) => (log ? shifted : base);
  return [
    `${normal(0)} + ${s('0.3', '0')} as f0_normal`,
    `exp(0.8 * ${normal(2)}) as f1_lognormal`,
    `100 * ${u(4)} as f2_uniform`,
    `-${s('6.0', '5.0')} * ln(${u(5)}) as f3_exponential`,
    `floor(18 + 72 * ${u(6)}) as f4_age`,
    `case when ${u(7)} < 0.3 then -2 + 0.5 * ${normal(8)} else 3 + ${normal(10)} end as f5_bimodal`,
    `50 + 10 * ${normal(12)} as f6_normal_wide`,
    `round(exp(3 + ${normal(14)}), 2) as f7_amount`,
    `case when ${u(16)} < 0.02 then null else ${normal(17)} end as f8_with_nulls`,
    `pow(${u(19)}, ${s('1.5', '2.0')}) as f9_skewed`,
    `['web', 'app', 'pos', 'phone'][1 + floor(4 * ${u(20)})::INT] as c0_channel`,
    // Segment: 8 categories; in the log, 'a' takes 10 points of share from the others.
    `case when ${u(21)} < ${s('0.3', '0.2')} then 'a' else ['b','c','d','e','f','g','h'][1 + floor(7 * ${u(22)})::INT] end as c1_segment`,
    `'m' || floor(20 * pow(${u(23)}, 1.3))::INT as c2_merchant`,
  ].join(',\n    ');
}

export interface BenchFiles {
  dir: string;
  train: string;
  trainSmall: string;
  log: string;
  /** The same tables as CSV, for the NumPy side (which has no Parquet reader here). */
  csv: { train: string; trainSmall: string; log: string };
}

/** Writes the tables once (into `dir`) and returns their paths. */
export async function syntheticLog(dir: string, rows = 1_000_000): Promise<BenchFiles> {
  mkdirSync(dir, { recursive: true });
  const files: BenchFiles = {
    dir,
    train: join(dir, 'train.parquet'),
    trainSmall: join(dir, 'train-1000.parquet'),
    log: join(dir, `log-${rows}.parquet`),
    csv: {
      train: join(dir, 'train.csv'),
      trainSmall: join(dir, 'train-1000.csv'),
      log: join(dir, `log-${rows}.csv`),
    },
  };
  if (Object.values(files.csv).every(existsSync) && existsSync(files.log)) return files;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const write = async (sql: string, path: string, format: 'parquet' | 'csv') => {
      // Written under a temp name and renamed, so an interrupted run never leaves half a file.
      await connection.run(`copy (${sql}) to '${path}.tmp' (format ${format})`);
      renameSync(`${path}.tmp`, path);
    };
    const train = `select ${features(false)} from range(100000) t(i)`;
    const small = `select ${features(false)} from range(1000) t(i)`;
    const log = `select ${features(true)}, timestamp '2024-06-01' + to_milliseconds(i * 10) as "timestamp",
      (hash(i * 64 + 40) % 1000) / 1000.0 as prediction from range(1000000, ${1_000_000 + rows}) t(i)`;
    for (const [sql, parquet, csv] of [
      [train, files.train, files.csv.train],
      [small, files.trainSmall, files.csv.trainSmall],
      [log, files.log, files.csv.log],
    ] as const) {
      await write(sql, parquet, 'parquet');
      await write(`select ${COLUMNS.join(', ')} from '${parquet}'`, csv, 'csv');
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return files;
}
