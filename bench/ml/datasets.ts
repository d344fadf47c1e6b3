// The benchmark's data, prepared once into a cache directory outside the repository
// (nothing here is committed): California housing's split, 1M flights rows and the
// synthetic 2M x 50 classification set, each as Parquet (what Gyre streams in column
// chunks) and as raw float32 files (what the XGBoost side loads with numpy).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readParquetColumnChunks } from '../../src/data/index.js';
import { trainTestSplit } from '../../src/ml/index.js';
import { FLIGHTS_PARQUET, REPO_ROOT } from '../../test/fixtures/data-files.js';

export const CACHE_DIR = join(tmpdir(), 'gyre-bench-ml');

/** Describes a Parquet dataset: feature columns then `label`; the first rows train. */
export interface ParquetDataset {
  parquet: string;
  features: string[];
  rows: number;
  trainRows: number;
}

async function run(sql: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(sql);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Raw float32 row-major features and labels from a Parquet file, for the XGBoost side. */
async function writeRawFiles(name: string, d: ParquetDataset): Promise<void> {
  const cols = d.features.length;
  const x = new Float32Array(d.rows * cols);
  const y = new Float32Array(d.rows);
  const specs = [...d.features, 'label'].map((c) => ({ name: c, type: 'numeric' as const }));
  let at = 0;
  for await (const chunk of readParquetColumnChunks(d.parquet, specs)) {
    for (let r = 0; r < chunk.numRows; r++) {
      for (let c = 0; c < cols; c++) x[(at + r) * cols + c] = chunk.columns[c][r];
      y[at + r] = chunk.columns[cols][r];
    }
    at += chunk.numRows;
  }
  writeFileSync(join(CACHE_DIR, `${name}_x.f32`), x);
  writeFileSync(join(CACHE_DIR, `${name}_y.f32`), y);
  writeFileSync(
    join(CACHE_DIR, `${name}.json`),
    JSON.stringify({ rows: d.rows, cols, train_rows: d.trainRows }),
  );
}

/** vega-datasets flights: month, day, weekday, minute, distance, origin, destination; delay > 15. */
export async function flights(rows: number): Promise<ParquetDataset> {
  const parquet = join(CACHE_DIR, `flights-${rows}.parquet`);
  const features = ['month', 'day', 'weekday', 'minute', 'distance', 'origin', 'destination'];
  const d = { parquet, features, rows, trainRows: Math.floor(rows * 0.8) };
  if (existsSync(parquet)) return d;
  // A hash order picks a fixed, date-spread sample independent of scan order.
  await run(`copy (
    with f as (
      select * from read_parquet(${quote(FLIGHTS_PARQUET)}) where delay is not null
      order by hash(date, origin, destination, distance, delay) limit ${rows}),
    g as (
      select month(date)::float as month, day(date)::float as day,
        dayofweek(date)::float as weekday, (hour(date) * 60 + minute(date))::float as minute,
        distance::float as distance,
        (dense_rank() over (order by origin) - 1)::float as origin,
        (dense_rank() over (order by destination) - 1)::float as destination,
        (delay > 15)::int::float as label,
        hash(date, origin, destination, distance, delay) as h
      from f)
    select * exclude (h) from g order by h) to ${quote(parquet)} (format parquet)`);
  await writeRawFiles('flights', d);
  return d;
}

/** scikit-learn make_classification, 2M x 50 (written by make_synthetic.py). */
export async function synthetic(rows: number, cols: number): Promise<ParquetDataset> {
  const parquet = join(CACHE_DIR, `synthetic-${rows}x${cols}.parquet`);
  const features = Array.from({ length: cols }, (_, i) => `f${i}`);
  const d = { parquet, features, rows, trainRows: Math.floor(rows * 0.8) };
  if (existsSync(parquet)) return d;
  execFileSync('/usr/bin/python3', [
    resolve(REPO_ROOT, 'bench/ml/make_synthetic.py'),
    ...['--dir', CACHE_DIR, '--rows', String(rows), '--features', String(cols)],
  ]);
  const xb = await readFile(join(CACHE_DIR, 'synthetic_x.f32'));
  const yb = await readFile(join(CACHE_DIR, 'synthetic_y.f32'));
  const x = new Float32Array(xb.buffer, xb.byteOffset, xb.byteLength / 4);
  const y = new Float32Array(yb.buffer, yb.byteOffset, yb.byteLength / 4);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`create table t (${[...features, 'label'].map((f) => `"${f}" float`).join(', ')})`);
    const appender = await c.createAppender('t');
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < cols; f++) appender.appendFloat(x[r * cols + f]);
      appender.appendFloat(y[r]);
      appender.endRow();
    }
    appender.closeSync();
    await c.run(`copy t to ${quote(parquet)} (format parquet)`);
  } finally {
    c.closeSync();
    db.closeSync();
  }
  writeFileSync(
    join(CACHE_DIR, 'synthetic.json'),
    JSON.stringify({ rows, cols, train_rows: d.trainRows }),
  );
  return d;
}

/** The California split both sides use: 80/20, seed 42. */
export function californiaSplit(numRows: number): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  const split = trainTestSplit(numRows, 0.2, 42);
  const path = join(CACHE_DIR, 'california_split.json');
  writeFileSync(path, JSON.stringify({ train: [...split.train], test: [...split.test] }));
  return path;
}
