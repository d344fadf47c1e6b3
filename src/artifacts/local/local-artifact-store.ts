import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { AlreadyExistsError, NotFoundError } from '../../core/index.js';
import type {
  ArtifactBody,
  ArtifactEntry,
  ArtifactInfo,
  ArtifactStore,
} from '../artifact-store.js';
import { TEMP_PREFIX, validateArtifactPath } from '../artifact-path.js';
import { confineRealPath } from './confine-real-path.js';
import { sweepTempFiles, type SweepResult } from './sweep-temp-files.js';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Artifacts on a local directory. Every write lands in a temp file beside its target and is
 * renamed into place when complete: rename is atomic on one filesystem, so a crash leaves at
 * worst a stray temp file (never listed), never a half-written artifact.
 *
 * Every operation is confined by real path: a symbolic link inside the root that leads
 * outside it is refused (INVALID_ARGUMENT), never followed; listings skip links altogether.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly rootUri: string;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.rootUri = this.root;
  }

  uriOf(path: string): string {
    return pathToFileURL(this.absolute(validateArtifactPath(path, { allowRoot: true }))).href;
  }

  private absolute(validPath: string): string {
    return validPath === '' ? this.root : join(this.root, ...validPath.split('/'));
  }

  /** The absolute path of a validated path, after checking no link on its way leaves the root. */
  private async confined(validPath: string): Promise<string> {
    const target = this.absolute(validPath);
    await confineRealPath(this.root, target, validPath);
    return target;
  }

  private async writeAtomically(
    path: string,
    write: (tempFile: string) => Promise<void>,
  ): Promise<ArtifactInfo> {
    const valid = validateArtifactPath(path);
    const target = await this.confined(valid);
    try {
      await mkdir(dirname(target), { recursive: true });
    } catch (error) {
      throw (await this.blockedAncestor(valid, error)) ?? error;
    }
    const temp = join(dirname(target), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      await write(temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST')
        throw new AlreadyExistsError(
          `cannot write artifact ${valid}: it is a directory; delete it first or choose another path`,
          { path: valid },
        );
      throw error;
    }
    const s = await stat(target);
    return { path: valid, size: s.size, lastModified: s.mtime };
  }

  /**
   * When creating the directories of `validPath` failed because one of them is a file (or a
   * dangling link), the conflict as a catalog error naming it: on disk a file cannot hold
   * children. Undefined when no such ancestor explains the failure.
   */
  private async blockedAncestor(validPath: string, cause: unknown): Promise<Error | undefined> {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'ENOENT') return undefined;
    const segments = validPath.split('/');
    for (let i = 1; i < segments.length; i += 1) {
      const ancestor = segments.slice(0, i).join('/');
      const s = await lstat(this.absolute(ancestor)).catch(() => undefined);
      if (s === undefined) return undefined;
      if (!s.isDirectory() && !s.isSymbolicLink())
        return new AlreadyExistsError(
          `cannot write artifact ${validPath}: ${ancestor} is a file, so it cannot hold other artifacts`,
          { path: validPath, conflict: ancestor },
        );
      if (s.isSymbolicLink() && !(await stat(this.absolute(ancestor)).catch(() => undefined)))
        return new AlreadyExistsError(
          `cannot write artifact ${validPath}: ${ancestor} is a link to nothing, not a directory`,
          { path: validPath, conflict: ancestor },
        );
    }
    return undefined;
  }

  put(path: string, body: ArtifactBody): Promise<ArtifactInfo> {
    return this.writeAtomically(path, async (temp) => {
      const source =
        body instanceof Readable
          ? body
          : Readable.from([typeof body === 'string' ? Buffer.from(body) : body]);
      await pipeline(source, createWriteStream(temp, { flags: 'wx' }));
    });
  }

  putFile(path: string, localFile: string): Promise<ArtifactInfo> {
    return this.writeAtomically(path, (temp) => copyFile(localFile, temp));
  }

  async get(path: string): Promise<Readable> {
    const valid = validateArtifactPath(path);
    const info = await this.stat(valid);
    if (!info) throw new NotFoundError(`artifact ${valid} does not exist`, { path: valid });
    return createReadStream(await this.confined(valid));
  }

  async stat(path: string): Promise<ArtifactInfo | undefined> {
    const valid = validateArtifactPath(path);
    try {
      const s = await stat(await this.confined(valid));
      return s.isFile() ? { path: valid, size: s.size, lastModified: s.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string, options: { recursive?: boolean } = {}): Promise<ArtifactEntry[]> {
    const base = validateArtifactPath(prefix, { allowRoot: true });
    await this.confined(base);
    const entries: ArtifactEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      let names;
      try {
        names = await readdir(this.absolute(dir), { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const entry of names) {
        // Dirents describe the entry itself, so links are neither files nor directories here.
        if (entry.name.startsWith(TEMP_PREFIX)) continue;
        const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory()) {
          if (options.recursive) await walk(path);
          else entries.push({ path, isDir: true });
        } else if (entry.isFile()) {
          entries.push({ path, isDir: false, size: (await stat(this.absolute(path))).size });
        }
      }
    };
    await walk(base);
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  async delete(path: string): Promise<void> {
    const valid = validateArtifactPath(path);
    const target = await this.confined(valid);
    try {
      const s = await stat(target);
      if (s.isDirectory()) await rm(target, { recursive: true, force: true });
      else await unlink(target);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  sweepStaleTempFiles(options?: { olderThanMs?: number }): Promise<SweepResult> {
    return sweepTempFiles(this.root, options);
  }

  async copy(fromPath: string, toPath: string): Promise<ArtifactInfo> {
    const from = validateArtifactPath(fromPath);
    if (!(await this.stat(from)))
      throw new NotFoundError(`artifact ${from} does not exist`, { path: from });
    const source = await this.confined(from);
    return this.writeAtomically(toPath, (temp) => copyFile(source, temp));
  }
}
