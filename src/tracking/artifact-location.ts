import { InvalidArgumentError } from '../core/index.js';

/** The scheme of artifact URIs served by Gyre's artifact proxy, as in MLflow. */
export const PROXY_SCHEME = 'mlflow-artifacts:';

/** Where proxied MLflow artifacts live inside Gyre's ArtifactStore. */
export const PROXY_STORE_PREFIX = 'mlflow';

export function defaultExperimentArtifactLocation(experimentId: string): string {
  return `${PROXY_SCHEME}/${experimentId}`;
}

/** A run's artifact root under its experiment's location: `<location>/<run id>/artifacts`. */
export function runArtifactUri(experimentLocation: string, runId: string): string {
  return `${experimentLocation.replace(/\/+$/, '')}/${runId}/artifacts`;
}

/**
 * The ArtifactStore path a `mlflow-artifacts:` URI names, e.g. `mlflow-artifacts:/1/abc/artifacts`
 * → `mlflow/1/abc/artifacts`; undefined for URIs Gyre does not serve (s3://, file paths, ...).
 */
export function storePathOfArtifactUri(uri: string): string | undefined {
  if (!uri.startsWith(PROXY_SCHEME)) return undefined;
  // mlflow-artifacts://host:port/path and mlflow-artifacts:/path both name /path.
  let rest = uri.slice(PROXY_SCHEME.length);
  if (rest.startsWith('//')) rest = rest.slice(2).replace(/^[^/]*/, '');
  const path = rest.replace(/^\/+/, '');
  return path === '' ? PROXY_STORE_PREFIX : `${PROXY_STORE_PREFIX}/${path}`;
}

/** Like storePathOfArtifactUri, but an InvalidArgumentError naming the URI when unserved. */
export function requireStorePath(uri: string): string {
  const path = storePathOfArtifactUri(uri);
  if (path === undefined)
    throw new InvalidArgumentError(
      `artifact location ${uri} is not served by Gyre's artifact proxy (only ${PROXY_SCHEME} URIs are)`,
      { uri },
    );
  return path;
}
