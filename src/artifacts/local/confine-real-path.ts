import { realpath } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { InvalidArgumentError } from '../../core/index.js';

function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The real path of `path`, or of its nearest existing ancestor when it does not exist yet. */
async function realPathOfNearest(path: string, stopAt: string): Promise<string | undefined> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return await realpath(current);
    } catch (error) {
      if (!isAbsent(error)) throw error;
      // Nothing at or above this point exists inside the root yet: nothing can escape.
      if (current === stopAt || dirname(current) === current) return undefined;
    }
  }
}

/**
 * Refuses `absolute` (a path under `root`, already free of `..`) when resolving the symbolic
 * links on its way leads outside the root's real path. Where the path does not exist yet, its
 * nearest existing ancestor is checked, which is where a write or mkdir would land.
 *
 * This closes links planted inside the root (by an operator, a restored backup, another tool);
 * it is a check before the operation, so a process that can swap links inside the root while
 * Gyre works there could still race it — such a process already owns the files.
 */
export async function confineRealPath(root: string, absolute: string, path: string): Promise<void> {
  const realRoot = await realPathOfNearest(root, root);
  if (realRoot === undefined) return;
  const real = await realPathOfNearest(absolute, root);
  if (real === undefined || real === realRoot || real.startsWith(`${realRoot}${sep}`)) return;
  throw new InvalidArgumentError(
    `invalid artifact path ${JSON.stringify(path)}: a symbolic link inside the artifact root leads outside it`,
    { path },
  );
}
