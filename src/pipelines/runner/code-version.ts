import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 << 20 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/**
 * The code version of a pipeline's directory for the step cache: the last commit that
 * touched it, plus a digest of uncommitted changes (edits and new files) when there are any,
 * so editing a script re-runs its step even before the edit is committed. Undefined outside
 * a git work tree.
 */
export async function codeVersionOf(dir: string): Promise<string | undefined> {
  const commit = (await git(dir, ['log', '-1', '--format=%H', '--', '.']))?.trim();
  if (!commit) return undefined;
  const diff = (await git(dir, ['diff', 'HEAD', '--binary', '--', '.'])) ?? '';
  const untracked = (
    (await git(dir, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'])) ?? ''
  )
    .split('\0')
    .filter(Boolean)
    .sort();
  if (diff === '' && untracked.length === 0) return commit;
  const hash = createHash('sha256').update(diff);
  for (const file of untracked) {
    hash.update(`\0${file}\0`);
    hash.update(await readFile(join(dir, file)).catch(() => Buffer.alloc(0)));
  }
  return `${commit}+${hash.digest('hex').slice(0, 16)}`;
}
