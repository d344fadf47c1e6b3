import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from '../../artifacts/index.js';
import { InvalidArgumentError, NotFoundError } from '../../core/index.js';

/** Reports bytes as a long step advances; the CLI draws a progress bar from it. */
export type ProgressListener = (event: { phase: string; done: number; total: number }) => void;

/** A source available as a local file for the duration of one operation. */
export interface LocalSource {
  path: string;
  /** The name errors use: the user's path or URI. */
  displayName: string;
  /** The source as recorded in the version (an absolute path or a URI). */
  uri: string;
  size: number;
  cleanup(): Promise<void>;
}

/** How the data domain reaches artifact stores other than its own (s3:// sources, landing zones). */
export type OpenStore = (rootUri: string) => ArtifactStore;

/** Artifact URIs name a path in Gyre's own artifact store: `artifacts:/datasets/x.csv`. */
const ARTIFACT_SCHEME = /^artifacts:\/*/;

/** Copies a stored artifact to a temp file (DuckDB reads local files only). */
export async function downloadToTemp(
  store: ArtifactStore,
  path: string,
  fileName: string,
  size: number,
  onProgress?: ProgressListener,
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gyre-data-'));
  const local = join(dir, fileName);
  try {
    let done = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        done += chunk.length;
        onProgress?.({ phase: 'download', done, total: size });
        callback(null, chunk);
      },
    });
    await pipeline(await store.get(path), counter, createWriteStream(local));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { path: local, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Makes a source readable as a local file: a local path or file:// URI as it is; an s3://
 * URI or an `artifacts:` URI downloaded to a temp file first.
 */
export async function materializeSource(
  source: string,
  artifacts: ArtifactStore,
  openStore: OpenStore,
  onProgress?: ProgressListener,
): Promise<LocalSource> {
  if (source.trim() === '')
    throw new InvalidArgumentError('source must not be empty', { field: 'source' });
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
  if (s3 || ARTIFACT_SCHEME.test(source)) {
    const store = s3 ? openStore(`s3://${s3[1]}`) : artifacts;
    const path = s3 ? s3[2] : source.replace(ARTIFACT_SCHEME, '');
    const info = await store.stat(path);
    if (!info) throw new NotFoundError(`source ${source} does not exist`, { source });
    const local = await downloadToTemp(store, path, basename(path), info.size, onProgress);
    return { ...local, displayName: source, uri: source, size: info.size };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith('file://')) {
    throw new InvalidArgumentError(
      `source ${source}: use a local path, file://, s3:// or artifacts: URI`,
      { field: 'source' },
    );
  }
  const path = source.startsWith('file://') ? fileURLToPath(source) : resolve(source);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new NotFoundError(`source file ${source} does not exist`, { source });
  return { path, displayName: source, uri: path, size: info.size, cleanup: async () => {} };
}

/** sha256 of a local file, reporting progress as it reads (the first pass over a source). */
export async function hashFile(
  path: string,
  size: number,
  onProgress?: ProgressListener,
): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    done += chunk.length;
    onProgress?.({ phase: 'hash', done, total: size });
  }
  return hash.digest('hex');
}
