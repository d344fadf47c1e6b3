export type { ArtifactBody, ArtifactEntry, ArtifactInfo, ArtifactStore } from './artifact-store.js';
export { validateArtifactPath, joinArtifactPath } from './artifact-path.js';
export {
  sha256Hex,
  sha256OfFile,
  contentAddressedPath,
  putFileContentAddressed,
  putBytesContentAddressed,
  type ContentAddressedArtifact,
} from './content-address.js';
export { readArtifact } from './read-artifact.js';
export { openArtifactStore, type ArtifactStoreOptions } from './open-artifact-store.js';
export type { S3Options } from './s3/s3-artifact-store.js';
