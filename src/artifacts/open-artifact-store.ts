import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../core/index.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local/local-artifact-store.js';
import { S3ArtifactStore, type S3Options } from './s3/s3-artifact-store.js';

export interface ArtifactStoreOptions {
  s3?: S3Options;
}

type Opener = (uri: string, options: ArtifactStoreOptions) => ArtifactStore;

const OPENERS: Record<string, Opener> = {
  file: (uri) => new LocalArtifactStore(fileURLToPath(uri)),
  s3: (uri, o) => new S3ArtifactStore(uri, o.s3 ?? { region: 'us-east-1' }),
};

/** Opens the artifact store a root URI names: a plain path or file:// is local disk, s3:// is S3. */
export function openArtifactStore(
  rootUri: string,
  options: ArtifactStoreOptions = {},
): ArtifactStore {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rootUri)?.[1]?.toLowerCase();
  if (!scheme) return new LocalArtifactStore(rootUri);
  const opener = OPENERS[scheme];
  if (!opener) {
    throw new InvalidArgumentError(
      `unsupported artifact root scheme "${scheme}://": use a directory path or one of ${Object.keys(
        OPENERS,
      )
        .map((s) => `${s}://`)
        .join(', ')}`,
    );
  }
  return opener(rootUri, options);
}
