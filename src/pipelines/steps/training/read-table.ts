import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataServices, DatasetVersion } from '../../../data/index.js';

export type Row = Record<string, unknown>;

/** Reads a dataset version into memory as rows (JSON export through the data domain). */
export async function readTable(
  data: DataServices,
  ref: string,
  workDir: string,
): Promise<{ version: DatasetVersion; rows: Row[] }> {
  const file = join(workDir, `table-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  try {
    const version = await data.datasets.exportVersion(ref, file, 'json');
    const rows = JSON.parse(await readFile(file, 'utf8')) as Row[];
    return { version, rows };
  } finally {
    await rm(file, { force: true });
  }
}
