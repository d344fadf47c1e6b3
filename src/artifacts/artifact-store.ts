import type { Readable } from 'node:stream';

/** What a store knows about one stored artifact. */
export interface ArtifactInfo {
  /** Path relative to the store's root, forward slashes. */
  path: string;
  size: number;
  lastModified?: Date;
}

/** One entry of a listing: a file, or (non-recursive listings) a directory one level down. */
export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  /** Bytes, for files. */
  size?: number;
}

export type ArtifactBody = Buffer | Uint8Array | string | Readable;

/**
 * Where Gyre keeps artifacts, datasets and prediction logs. Narrow on purpose: every backend
 * (local disk, S3) implements exactly this, and one contract suite proves each.
 *
 * Writes are all-or-nothing: a reader never sees a half-written artifact, even if the
 * process dies mid-write. Every path is validated by `validateArtifactPath` first.
 */
export interface ArtifactStore {
  /** The root this store was opened on, e.g. `/data/artifacts` or `s3://bucket/prefix`. */
  readonly rootUri: string;
  /** Writes bytes or a stream to `path`, replacing what was there. */
  put(path: string, body: ArtifactBody): Promise<ArtifactInfo>;
  /** Uploads a local file to `path`. */
  putFile(path: string, localFile: string): Promise<ArtifactInfo>;
  /** Streams an artifact; NotFoundError if it does not exist. */
  get(path: string): Promise<Readable>;
  /** Size and time of an artifact, or undefined when there is none. */
  stat(path: string): Promise<ArtifactInfo | undefined>;
  /** Lists under a directory prefix ('' is the root); one level unless `recursive`. */
  list(prefix: string, options?: { recursive?: boolean }): Promise<ArtifactEntry[]>;
  /** Deletes an artifact, or everything under a directory; deleting nothing is not an error. */
  delete(path: string): Promise<void>;
  /** Copies one artifact within the store. */
  copy(fromPath: string, toPath: string): Promise<ArtifactInfo>;
  /** A URI that names `path` in this store (for lineage and MLflow artifact URIs). */
  uriOf(path: string): string;
  /**
   * Removes what killed writers left behind (local temp files older than `olderThanMs`, an
   * hour by default). Optional: S3 never shows an incomplete upload, and a bucket lifecycle
   * rule reaps its parts.
   */
  sweepStaleTempFiles?(options?: { olderThanMs?: number }): Promise<{
    removed: number;
    bytes: number;
  }>;
}
