import { InvalidArgumentError } from '../core/index.js';

/** Marks in-flight local writes; never a valid user path segment, never listed. */
export const TEMP_PREFIX = '.gyre-tmp-';

/**
 * Checks an artifact path is confined to the store's root and returns it normalized (forward
 * slashes, no leading './', no trailing slash). Refuses `..`, absolute paths, NUL bytes,
 * backslashes and empty segments with an InvalidArgumentError naming the path.
 */
export function validateArtifactPath(path: string, options: { allowRoot?: boolean } = {}): string {
  if (typeof path !== 'string') throw new InvalidArgumentError('artifact path must be a string');
  const refuse = (why: string): never => {
    throw new InvalidArgumentError(`invalid artifact path ${JSON.stringify(path)}: ${why}`, {
      path,
    });
  };
  if (path.includes('\0')) refuse('contains a NUL byte');
  if (path.includes('\\')) refuse('contains a backslash; use forward slashes');
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path))
    refuse('must be relative to the artifact root');
  let normalized = path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (normalized === '.') normalized = '';
  if (normalized === '') {
    if (options.allowRoot) return '';
    refuse('is empty');
  }
  for (const segment of normalized.split('/')) {
    if (segment === '..') refuse("must not contain '..'");
    if (segment === '.' || segment === '') refuse("must not contain empty or '.' segments");
    if (segment.startsWith(TEMP_PREFIX)) refuse(`segments must not start with ${TEMP_PREFIX}`);
  }
  if (normalized.length > 1024) refuse('is longer than 1024 characters');
  return normalized;
}

/** Joins validated segments; each part is validated on its own first. */
export function joinArtifactPath(...parts: string[]): string {
  return parts
    .map((p) => validateArtifactPath(p, { allowRoot: true }))
    .filter((p) => p !== '')
    .join('/');
}
