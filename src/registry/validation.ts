import { InvalidArgumentError } from '../core/index.js';
import { MODEL_STAGES, type ModelStage } from './types.js';

// Limits as MLflow's model registry enforces them (mlflow/utils/validation.py).
export const MAX_TAG_KEY_LENGTH = 250;
export const MAX_TAG_VALUE_LENGTH = 5000;
export const MAX_ALIAS_LENGTH = 255;
export const MAX_MODEL_NAME_LENGTH = 256;
export const MAX_DESCRIPTION_LENGTH = 5000;
export const MAX_SOURCE_LENGTH = 5000;

const TAG_KEY = /^[/\w.\- :]*$/;
const ALIAS = /^[\w-]*$/;
const VERSION_LIKE_ALIAS = /^[vV]\d+$/;

function refuse(field: string, value: unknown, why: string): never {
  throw new InvalidArgumentError(`invalid ${field} ${JSON.stringify(value)}: ${why}`, {
    field,
  });
}

/**
 * PostgreSQL text cannot hold NUL characters (SQLite can): refuse them up front so both
 * databases answer the same INVALID_ARGUMENT instead of PostgreSQL failing the write.
 */
export function refuseNul(field: string, value: string): string {
  if (value.includes('\0'))
    refuse(field, value.replaceAll('\0', '\\0'), 'must not contain NUL characters');
  return value;
}

/**
 * A registered model name: not empty or only whitespace, at most 256 characters, no `/` (it
 * would break `models:/` URIs).
 */
export function validateModelName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name === '')
    throw new InvalidArgumentError(`missing value for required parameter '${field}'`, { field });
  if (name.trim() === '') refuse(field, name, 'must not be only whitespace');
  if (name.length > MAX_MODEL_NAME_LENGTH)
    refuse(field, name, `longer than ${MAX_MODEL_NAME_LENGTH} characters`);
  if (name.includes('/')) refuse(field, name, "must not contain '/'");
  return refuseNul(field, name);
}

/**
 * A model version's source URI: present, bounded, and never climbing with a `..` segment (also
 * when percent-encoded or behind a backslash), so a source cannot name files outside the place
 * it points into — MLflow refuses the same.
 */
export function validateSource(source: unknown): string {
  if (typeof source !== 'string' || source === '')
    throw new InvalidArgumentError("missing value for required parameter 'source'", {
      field: 'source',
    });
  if (source.length > MAX_SOURCE_LENGTH)
    throw new InvalidArgumentError(`source is longer than ${MAX_SOURCE_LENGTH} characters`, {
      field: 'source',
    });
  refuseNul('source', source);
  const segments = source.replace(/%2e/gi, '.').split(/[/\\]|%2f|%5c/i);
  if (segments.includes('..')) refuse('source', source, "must not contain '..' path segments");
  return source;
}

/** A version number: a positive integer, given as a number or a decimal string. */
export function validateVersion(version: unknown, field = 'version'): number {
  const text = typeof version === 'number' ? String(version) : version;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text) || Number(text) < 1)
    refuse(field, version, 'must be a positive integer');
  return Number(text);
}

export function validateTag(key: unknown, value: unknown): { key: string; value: string } {
  if (typeof key !== 'string' || key === '')
    throw new InvalidArgumentError("missing value for required parameter 'key'", {
      field: 'key',
    });
  if (key.length > MAX_TAG_KEY_LENGTH)
    refuse('key', key, `longer than ${MAX_TAG_KEY_LENGTH} characters`);
  if (!TAG_KEY.test(key))
    refuse(
      'key',
      key,
      'may only contain alphanumerics, underscores, dashes, periods, spaces, colons and slashes',
    );
  if (key.split('/').some((s) => s === '..' || s === '.') || key.startsWith('/'))
    refuse('key', key, 'must not resolve to another name as a path');
  if (typeof value !== 'string') refuse('value', value, 'must be a string');
  refuseNul('value', value);
  if (value.length > MAX_TAG_VALUE_LENGTH)
    refuse('value', `${value.slice(0, 20)}...`, `longer than ${MAX_TAG_VALUE_LENGTH} characters`);
  return { key, value };
}

export function validateTags(tags: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) out[key] = validateTag(key, value).value;
  return out;
}

/** Alias names as MLflow allows them: `[\w-]`, not `latest`, not version-like (`v3`). */
export function validateAlias(alias: unknown): string {
  if (typeof alias !== 'string' || alias === '')
    throw new InvalidArgumentError("missing value for required parameter 'alias'", {
      field: 'alias',
    });
  if (!ALIAS.test(alias))
    refuse('alias', alias, 'may only contain alphanumerics, underscores and dashes');
  if (alias.length > MAX_ALIAS_LENGTH)
    refuse('alias', alias, `longer than ${MAX_ALIAS_LENGTH} characters`);
  if (alias.toLowerCase() === 'latest')
    refuse('alias', alias, "'latest' (any case) is reserved for the newest version");
  if (VERSION_LIKE_ALIAS.test(alias))
    refuse('alias', alias, 'names of the form v<number> are reserved for versions');
  return alias;
}

export function validateDescription(description: unknown): string | undefined {
  if (description === undefined || description === null) return undefined;
  if (typeof description !== 'string') refuse('description', description, 'must be a string');
  if (description.length > MAX_DESCRIPTION_LENGTH)
    refuse('description', '...', `longer than ${MAX_DESCRIPTION_LENGTH} characters`);
  return refuseNul('description', description);
}

/** A stage name in any letter case, returned in MLflow's canonical spelling. */
export function parseStage(stage: unknown, field = 'stage'): ModelStage {
  const found =
    typeof stage === 'string'
      ? MODEL_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase())
      : undefined;
  if (!found) refuse(field, stage, `must be one of ${MODEL_STAGES.join(', ')}`);
  return found;
}
