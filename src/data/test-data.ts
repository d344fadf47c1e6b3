// Test-only helpers (excluded from the build): a DatasetService on a temp artifact store,
// the real data shipped in the repository, and malformed fixtures written on the fly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArtifactStore, type ArtifactStore } from '../artifacts/index.js';
import { s3rverOptions } from '../artifacts/test-s3rver.js';

export { s3rverOptions };
import type { Database } from '../db/index.js';
import { DatasetService } from './dataset-service.js';
import { KyselyDatasetStore } from './kysely-dataset-store.js';

export { FLIGHTS_PARQUET, HOUSING_CSV, REPO_ROOT } from '../../test/fixtures/data-files.js';

/** A temp directory for files a test writes, removed by `cleanup`. */
export interface ScratchDirectory {
  dir: string;
  /** Writes a file into the directory and returns its path. */
  write(name: string, content: string | Buffer): string;
  cleanup(): void;
}

export function scratchDirectory(): ScratchDirectory {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-data-test-'));
  return {
    dir,
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface DataFixture extends ScratchDirectory {
  service: DatasetService;
  artifacts: ArtifactStore;
}

/** A DatasetService alone over `db`, with a temp artifact store, for the data suites. */
export function createDataFixture(db: Database): DataFixture {
  const scratch = scratchDirectory();
  const artifacts = openArtifactStore(join(scratch.dir, 'artifacts'));
  const service = new DatasetService({
    store: new KyselyDatasetStore(db),
    artifacts,
    openStore: (uri) => openArtifactStore(uri, { s3: s3rverOptions() }),
  });
  return { ...scratch, service, artifacts };
}

/**
 * A Parquet file whose schema has a root and no columns, encoded by hand (Thrift compact
 * protocol) because no writer on this machine will produce one.
 */
export function parquetWithNoColumns(): Buffer {
  const name = Buffer.from('schema');
  const meta = Buffer.concat([
    // FileMetaData: version=1, schema=[{name, num_children=0}], num_rows=0, row_groups=[]
    Buffer.from([0x15, 0x02, 0x19, 0x1c, 0x48, name.length]),
    name,
    Buffer.from([0x15, 0x00, 0x00, 0x16, 0x00, 0x19, 0x0c, 0x00]),
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(meta.length);
  return Buffer.concat([Buffer.from('PAR1'), meta, length, Buffer.from('PAR1')]);
}
