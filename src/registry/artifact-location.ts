import { fileURLToPath } from 'node:url';
import { validateArtifactPath } from '../artifacts/index.js';
import { InvalidArgumentError } from '../core/index.js';
import { PROXY_SCHEME, storePathOfArtifactUri } from '../tracking/index.js';

/**
 * Maps an artifact URI to a path inside Gyre's artifact store, or undefined when the URI names
 * something outside it (another bucket, a directory outside the root, a remote server). The
 * result is validated, so a `..` can never climb out of the root: registering a version never
 * reads arbitrary files.
 *
 * Understood forms: `mlflow-artifacts:/<path>` (and `mlflow-artifacts://host/<path>`, kept where
 * tracking's artifact proxy keeps them), a URI or
 * absolute path under the store's root (`s3://bucket/prefix/...`, `file:///root/...`, `/root/...`).
 * `runs:/` and `models:/` URIs are resolved by the caller first (see ModelUriResolver).
 */
export function storePathOf(uri: string, rootUri: string): string | undefined {
  // Tracking owns where its artifact proxy keeps mlflow-artifacts: URIs in the store.
  if (uri.startsWith(PROXY_SCHEME)) {
    const proxied = storePathOfArtifactUri(uri);
    return proxied === undefined ? undefined : validPath(uri, proxied);
  }
  let location = uri;
  if (/^file:/i.test(uri)) {
    try {
      location = fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  const root = rootUri.replace(/\/+$/, '');
  if (location === root) return '';
  if (!location.startsWith(`${root}/`)) return undefined;
  return validPath(uri, location.slice(root.length + 1));
}

function validPath(uri: string, path: string): string {
  try {
    return validateArtifactPath(path.replace(/\/+$/, ''), { allowRoot: true });
  } catch (error) {
    throw new InvalidArgumentError(
      `invalid source ${JSON.stringify(uri)}: ${(error as Error).message}`,
      { field: 'source' },
    );
  }
}
