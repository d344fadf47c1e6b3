import { InvalidArgumentError } from '../../core/index.js';

/**
 * Small checked accessors for walking untrusted model documents (JSON or UBJSON): each
 * failure names the path that was wrong instead of crashing on `undefined`.
 */
export type Doc = unknown;

export function field(doc: Doc, path: string, key: string): Doc {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InvalidArgumentError(`${path} must be an object`);
  }
  if (!Object.prototype.hasOwnProperty.call(doc, key)) {
    throw new InvalidArgumentError(`${path}.${key} is missing`);
  }
  return (doc as Record<string, unknown>)[key];
}

export function optionalField(doc: Doc, key: string): Doc {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  return Object.prototype.hasOwnProperty.call(doc, key)
    ? (doc as Record<string, unknown>)[key]
    : undefined;
}

export function str(doc: Doc, path: string): string {
  if (typeof doc !== 'string') throw new InvalidArgumentError(`${path} must be a string`);
  return doc;
}

/** A number, also accepting XGBoost's numbers-as-strings ("5E-1") and bigints. */
export function num(doc: Doc, path: string): number {
  const v = typeof doc === 'string' ? Number(doc) : typeof doc === 'bigint' ? Number(doc) : doc;
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new InvalidArgumentError(`${path} must be a number`);
  }
  return v;
}

/** A numeric array from a JSON array or a typed array. */
export function numArray(doc: Doc, path: string): number[] {
  if (Array.isArray(doc)) return doc.map((v, i) => num(v, `${path}[${i}]`));
  if (ArrayBuffer.isView(doc) && !(doc instanceof DataView)) {
    return Array.from(doc as unknown as ArrayLike<number | bigint>, (v) => Number(v));
  }
  throw new InvalidArgumentError(`${path} must be an array of numbers`);
}

export function arr(doc: Doc, path: string): unknown[] {
  if (!Array.isArray(doc)) throw new InvalidArgumentError(`${path} must be an array`);
  return doc;
}

/** Like {@link numArray}, but also accepts non-finite floats ("NaN", "Infinity" strings). */
export function floatArray(doc: Doc, path: string): number[] {
  if (!Array.isArray(doc)) return numArray(doc, path);
  return doc.map((v, i) => {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return num(v, `${path}[${i}]`);
  });
}
