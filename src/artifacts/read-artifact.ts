import type { ArtifactStore } from './artifact-store.js';

/** Reads a whole artifact into memory; for small artifacts (manifests, JSON, models). */
export async function readArtifact(store: ArtifactStore, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(path)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
