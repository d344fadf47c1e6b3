// Ingest + profile of the 3M-row flights Parquet (vega-datasets), side by side with bare
// DuckDB doing the least work the same result needs, measured in the same run.
//   npx tsx bench/data/run.ts [--repeat 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openArtifactStore } from '../../src/artifacts/index.js';
import { DatasetService, KyselyDatasetStore } from '../../src/data/index.js';
import { migrateToLatest, openDatabase } from '../../src/db/index.js';
import { FLIGHTS_PARQUET as flights } from '../../test/fixtures/data-files.js';

const repeatArg = process.argv.indexOf('--repeat');
const repeat = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 3;
const TARGET_MS = 10_000;

async function time(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function duck(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function gyreIngest(dir: string, i: number): Promise<number> {
  const db = openDatabase(`sqlite:${join(dir, `gyre-${i}.db`)}`);
  await migrateToLatest(db);
  const service = new DatasetService({
    store: new KyselyDatasetStore(db),
    artifacts: openArtifactStore(join(dir, `artifacts-${i}`)),
    openStore: (uri) => openArtifactStore(uri),
  });
  try {
    return await time(async () => {
      const { version } = await service.ingest({ source: flights, name: 'flights' });
      if (version.rowCount !== 3_000_000) throw new Error(`read ${version.rowCount} rows`);
    });
  } finally {
    await db.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'gyre-bench-data-'));
try {
  const rows: { name: string; ms: number }[] = [];
  const count: number[] = [];
  const copy: number[] = [];
  const gyre: number[] = [];
  for (let i = 0; i < repeat; i++) {
    count.push(await time(() => duck(`select count(*) from read_parquet('${flights}')`)));
    copy.push(
      await time(() =>
        duck(
          `copy (select * from read_parquet('${flights}')) to '${join(dir, `copy-${i}.parquet`)}' (format parquet, compression zstd)`,
        ),
      ),
    );
    gyre.push(await gyreIngest(dir, i));
  }
  rows.push({ name: 'duckdb count(*) (anchor floor)', ms: median(count) });
  rows.push({ name: 'duckdb COPY parquet → parquet (anchor)', ms: median(copy) });
  rows.push({ name: 'gyre ingest + profile + register', ms: median(gyre) });
  const anchor = median(copy);
  console.log(`flights-3m.parquet, 3,000,000 rows × 5 columns; median of ${repeat} runs\n`);
  console.log(`${'step'.padEnd(42)}${'ms'.padStart(10)}${'× anchor'.padStart(11)}`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(42)}${r.ms.toFixed(0).padStart(10)}${(r.ms / anchor).toFixed(2).padStart(11)}`,
    );
  }
  const verdict = median(gyre) <= TARGET_MS ? 'meets' : 'MISSES';
  console.log(
    `\ngyre ingest + profile: ${(median(gyre) / 1000).toFixed(2)} s — ${verdict} the ≤ ${TARGET_MS / 1000} s target`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
