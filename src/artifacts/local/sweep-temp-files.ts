import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PREFIX } from '../artifact-path.js';

/** What a sweep removed. */
export interface SweepResult {
  removed: number;
  bytes: number;
}

/** Temp files untouched this long are from a writer that died; a live one keeps writing. */
export const STALE_TEMP_AGE_MS = 60 * 60 * 1000;

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Removes the `.gyre-tmp-*` files a killed process left under `root`, when last modified more
 * than `olderThanMs` ago, so a concurrent writer's file (still growing) is never taken. Walks
 * the tree without following links, so nothing outside the root is touched.
 */
export async function sweepTempFiles(
  root: string,
  options: { olderThanMs?: number; now?: number } = {},
): Promise<SweepResult> {
  const cutoff = (options.now ?? Date.now()) - (options.olderThanMs ?? STALE_TEMP_AGE_MS);
  const result: SweepResult = { removed: 0, bytes: 0 };
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile() && entry.name.startsWith(TEMP_PREFIX)) {
        try {
          const s = await lstat(path);
          if (s.mtimeMs >= cutoff) continue;
          await unlink(path);
          result.removed += 1;
          result.bytes += s.size;
        } catch (error) {
          // Renamed into place or removed by its writer meanwhile: nothing left to sweep.
          if (!isGone(error)) throw error;
        }
      }
    }
  };
  await walk(root);
  return result;
}
