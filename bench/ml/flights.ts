// Loads 1M rows of vega-datasets' flights (3M rows as Parquet) with DuckDB, the benchmark's
// second dataset. Features: month, day of month, weekday, minute of day, distance, origin and
// destination codes; label: delay > 15 minutes.
import { DuckDBInstance } from '@duckdb/node-api';
import { FLIGHTS_PARQUET } from '../../test/fixtures/data-files.js';

export interface Flights {
  x: Float32Array;
  y: Float64Array;
  rows: number;
  cols: number;
  featureNames: string[];
}

export async function loadFlights(limit = 1_000_000): Promise<Flights> {
  const file = FLIGHTS_PARQUET.replaceAll("'", "''");
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  // A hash order picks a fixed, date-spread 1M-row sample independent of scan order.
  const reader = await conn.runAndReadAll(`
    with f as (
      select * from '${file}'
      where delay is not null
      order by hash(date, origin, destination, distance, delay) limit ${limit})
    select month(date)::float, day(date)::float, dayofweek(date)::float,
      (hour(date) * 60 + minute(date))::float, distance::float,
      (dense_rank() over (order by origin) - 1)::float,
      (dense_rank() over (order by destination) - 1)::float,
      (delay > 15)::int::float as label
    from f order by hash(date, origin, destination, distance, delay)`);
  const columns = reader.getColumns() as unknown as number[][];
  conn.closeSync();
  const rows = columns[0].length;
  const cols = 7;
  const x = new Float32Array(rows * cols);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) x[r * cols + c] = columns[c][r];
  const y = Float64Array.from(columns[7]);
  const featureNames = ['month', 'day', 'weekday', 'minute', 'distance', 'origin', 'destination'];
  return { x, y, rows, cols, featureNames };
}
