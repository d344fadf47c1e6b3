import { InvalidArgumentError } from '../core/index.js';
import type { VersionRef } from './types.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Dataset names: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export function checkDatasetName(name: string, field = 'name'): string {
  if (!NAME.test(name)) {
    throw new InvalidArgumentError(
      `${field} "${name}" is not a valid dataset name: use up to 128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      { field },
    );
  }
  return name;
}

/** Parses `housing@3` (a version) or `housing` (the latest). */
export function parseVersionRef(ref: string, field = 'dataset'): VersionRef {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: checkDatasetName(ref, field) };
  const name = checkDatasetName(ref.slice(0, at), field);
  const text = ref.slice(at + 1);
  if (!/^[1-9][0-9]{0,8}$/.test(text)) {
    throw new InvalidArgumentError(
      `${field} "${ref}": the version after '@' must be a positive integer`,
      { field },
    );
  }
  return { name, version: Number(text) };
}

export function formatRef(name: string, version: number): string {
  return `${name}@${version}`;
}
