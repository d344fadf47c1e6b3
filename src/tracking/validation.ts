import { InvalidArgumentError } from '../core/index.js';
import type { ResultLimits } from '../search/index.js';

/** MLflow's limits, so a script that works against MLflow works against Gyre and vice versa. */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  runTagValueLength: 8000,
  experimentTagValueLength: 5000,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  searchMaxResults: 50000,
  searchDefaultResults: 1000,
  datasetNameLength: 500,
  /** MLflow's cap on a logged digest: enforced on the MLflow wire and kept in what it returns. */
  datasetDigestLength: 36,
  /** Gyre's own API and SDK take a whole sha256 in hex, as Gyre prints a dataset's digest. */
  fullDigestLength: 64,
  datasetSourceLength: 65535,
} as const;

const KEY_PATTERN = /^[/\w.\- :]*$/;

function refuse(field: string, message: string): never {
  throw new InvalidArgumentError(message, { field });
}

/**
 * Checks a metric, param or tag key as MLflow does: at most 250 characters of letters,
 * digits, `_ - . / : ` and space, and a path that normalises to itself (no `..`, no leading
 * or doubled slashes), because keys become file names in some stores.
 */
export function validateKey(what: 'metric' | 'param' | 'tag', key: unknown): string {
  const field = `${what} key`;
  if (typeof key !== 'string' || key === '')
    refuse(
      field,
      `Missing value for required parameter '${what === 'metric' ? 'key' : 'key'}' (${what} key)`,
    );
  if (key.length > LIMITS.keyLength)
    refuse(
      field,
      `${what} key '${key.slice(0, 40)}...' is longer than ${LIMITS.keyLength} characters`,
    );
  if (!KEY_PATTERN.test(key))
    refuse(
      field,
      `Invalid ${what} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).`,
    );
  const segments = key.split('/');
  if (
    key.startsWith('/') ||
    segments.some((s, i) => s === '..' || s === '.' || (s === '' && i > 0))
  )
    refuse(
      field,
      `Invalid ${what} name: '${key}'. Names must be normalized paths (no '..', '.', leading or doubled '/').`,
    );
  return key;
}

export function validateValueLength(what: string, key: string, value: string, limit: number): void {
  if (value.length > limit)
    refuse(
      `${what} value`,
      `${what} value for key '${key}' is ${value.length} characters; the limit is ${limit}`,
    );
}

/** An experiment name: not blank, no NUL (PostgreSQL text cannot hold it), at most 500 characters. */
export function validateExperimentName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '')
    refuse('name', "Invalid experiment name: '' (must be a non-empty string)");
  if (name.includes('\0'))
    refuse(
      'name',
      `Invalid experiment name: '${name.replaceAll('\0', '\\0')}' (must not contain NUL characters)`,
    );
  if (name.length > LIMITS.experimentNameLength)
    refuse(
      'name',
      `experiment name is ${name.length} characters; the limit is ${LIMITS.experimentNameLength}`,
    );
  return name;
}

/** Run and experiment searches: MLflow's default of 1,000 results and cap of 50,000. */
export const SEARCH_LIMITS: ResultLimits = {
  default: LIMITS.searchDefaultResults,
  max: LIMITS.searchMaxResults,
};

/** Metric history pages: any positive size (absent means the whole history). */
export const HISTORY_LIMITS: ResultLimits = {
  default: Number.MAX_SAFE_INTEGER,
  max: Number.MAX_SAFE_INTEGER,
};

/** An experiment id: a numeric string as MLflow issues them. */
export function parseExperimentId(id: string): number {
  if (!/^\d{1,15}$/.test(id))
    throw new InvalidArgumentError(`Invalid experiment id '${id}': must be a numeric string`, {
      field: 'experiment_id',
    });
  return Number(id);
}
