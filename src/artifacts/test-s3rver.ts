// Test-only (excluded from the build): artifact stores on the s3rver the test setup starts.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { ArtifactStore } from './artifact-store.js';
import { openArtifactStore } from './open-artifact-store.js';
import type { S3Options } from './s3/s3-artifact-store.js';

/** Credentials and endpoint of the test s3rver. */
export function s3rverOptions(): S3Options {
  return {
    region: 'us-east-1',
    endpoint: inject('s3Endpoint'),
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
}

export interface ScratchS3Store {
  store: ArtifactStore;
  /** The store's root, s3://bucket/prefix. */
  uri: string;
  /** Deletes everything under the prefix, and fails if anything is left. */
  cleanup(): Promise<void>;
}

/** A store under a fresh random prefix of the test bucket. */
export function scratchS3Store(name: string): ScratchS3Store {
  const prefix = `${name}-${randomBytes(4).toString('hex')}`;
  const bucket = openArtifactStore(`s3://${inject('s3Bucket')}`, { s3: s3rverOptions() });
  const uri = bucket.uriOf(prefix);
  return {
    store: openArtifactStore(uri, { s3: s3rverOptions() }),
    uri,
    cleanup: async () => {
      // The prefix is a path of the bucket's root store, not of the prefixed store itself.
      await bucket.delete(prefix);
      const left = await bucket.list(prefix, { recursive: true });
      if (left.length > 0) throw new Error(`cleanup left ${left.length} objects under ${uri}`);
    },
  };
}
