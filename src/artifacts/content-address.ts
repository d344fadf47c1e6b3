import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ArtifactInfo, ArtifactStore } from './artifact-store.js';
import { joinArtifactPath } from './artifact-path.js';

export function sha256Hex(data: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256OfFile(localFile: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(localFile)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Where content with `digest` lives under `prefix`: `<prefix>/sha256/ab/abcdef…`. */
export function contentAddressedPath(prefix: string, digest: string): string {
  return joinArtifactPath(prefix, 'sha256', digest.slice(0, 2), digest);
}

export interface ContentAddressedArtifact extends ArtifactInfo {
  sha256: string;
  /** False when identical content was already stored and nothing was written. */
  written: boolean;
}

/** Stores a local file by its sha256 under `prefix`, skipping the upload when it is already there. */
export async function putFileContentAddressed(
  store: ArtifactStore,
  prefix: string,
  localFile: string,
): Promise<ContentAddressedArtifact> {
  const sha256 = await sha256OfFile(localFile);
  const path = contentAddressedPath(prefix, sha256);
  const existing = await store.stat(path);
  if (existing) return { ...existing, sha256, written: false };
  return { ...(await store.putFile(path, localFile)), sha256, written: true };
}

/** Stores bytes by their sha256 under `prefix`, skipping the write when already present. */
export async function putBytesContentAddressed(
  store: ArtifactStore,
  prefix: string,
  data: Buffer,
): Promise<ContentAddressedArtifact> {
  const sha256 = sha256Hex(data);
  const path = contentAddressedPath(prefix, sha256);
  const existing = await store.stat(path);
  if (existing) return { ...existing, sha256, written: false };
  return { ...(await store.put(path, data)), sha256, written: true };
}
