import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtModuleUrl } from '../executors/local/local-builtin.js';

let version: Promise<string> | undefined;

/**
 * The code version of built-in steps for the step cache: a digest of Gyre's built code
 * (`dist/`), so changed step code — a new release or a local build — never reuses outputs the
 * old code made. Computed once per process.
 */
export function builtinCodeVersion(gyreVersion: string): Promise<string> {
  version ??= (async () => {
    const root = dirname(fileURLToPath(builtModuleUrl(new URL('../../gyre.js', import.meta.url))));
    const files = (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.js'))
      .map((e) => join(e.parentPath, e.name))
      .sort();
    const hash = createHash('sha256');
    for (const file of files) hash.update(`${relative(root, file)}\0`).update(await readFile(file));
    return `gyre ${gyreVersion} ${hash.digest('hex').slice(0, 16)}`;
  })().catch(() => `gyre ${gyreVersion}`);
  return version;
}
