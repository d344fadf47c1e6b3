import type { CellValue, FeatureBatch, ServingSignature } from '../runtimes/model-runtime.js';
import { InputError } from './input-error.js';

/** What to do with a category the model never saw in training. */
export const UNKNOWN_CATEGORY_POLICIES = ['ignore', 'error'] as const;
export type UnknownCategoryPolicy = (typeof UNKNOWN_CATEGORY_POLICIES)[number];

/** Checks a batch against a signature; throws InputError naming the first bad column. */
export type BatchValidator = (batch: FeatureBatch) => void;

const enum Kind {
  Real,
  Integer,
  Boolean,
  Text,
}

function describeValue(v: CellValue): string {
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : `the number ${v}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Compiles the checks of one signature once (a table of column kinds, nullability and
 * category sets), so validating a request is one tight loop with no per-request setup.
 * Booleans sent for a boolean column are left as they are; runtimes read them as 0/1.
 */
export function compileValidator(
  signature: ServingSignature,
  unknownCategory: UnknownCategoryPolicy = 'ignore',
): BatchValidator {
  const inputs = signature.inputs;
  const width = inputs.length;
  const kinds = inputs.map((i) =>
    i.type === 'double' || i.type === 'float'
      ? Kind.Real
      : i.type === 'long' || i.type === 'integer'
        ? Kind.Integer
        : i.type === 'boolean'
          ? Kind.Boolean
          : Kind.Text,
  );
  const nullable = inputs.map((i) => i.nullable);
  const categories = inputs.map((i) =>
    unknownCategory === 'error' && i.categories ? new Set(i.categories) : undefined,
  );

  const fail = (c: number, v: CellValue, r: number): never => {
    const input = inputs[c];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)))
      throw new InputError(
        input.name,
        `a value is required (${input.type}, missing values are not allowed)`,
        r,
      );
    if (kinds[c] === Kind.Text && typeof v === 'string')
      throw new InputError(
        input.name,
        `unknown category ${JSON.stringify(v)}; known: ${input.categories!.join(', ')}`,
        r,
      );
    const expected =
      kinds[c] === Kind.Integer
        ? 'an integer'
        : kinds[c] === Kind.Boolean
          ? 'a boolean'
          : kinds[c] === Kind.Text
            ? 'a string'
            : 'a number';
    throw new InputError(
      input.name,
      `expected ${expected} (${input.type}), got ${describeValue(v)}`,
      r,
    );
  };

  const check = (c: number, v: CellValue, r: number): void => {
    switch (kinds[c]) {
      case Kind.Real:
        if (typeof v === 'number') {
          if (v !== v && !nullable[c]) fail(c, v, r);
          return;
        }
        break;
      case Kind.Integer:
        if (typeof v === 'number' && Number.isInteger(v)) return;
        break;
      case Kind.Boolean:
        if (typeof v === 'boolean' || v === 0 || v === 1) return;
        break;
      case Kind.Text:
        if (typeof v === 'string') {
          const known = categories[c];
          if (known !== undefined && !known.has(v)) fail(c, v, r);
          return;
        }
        break;
    }
    if ((v === null || v === undefined) && nullable[c]) return;
    fail(c, v, r);
  };

  return (batch) => {
    const n = batch.numRows;
    if (batch.layout === 'rows') {
      for (let r = 0; r < n; r++) {
        const row = batch.rows[r];
        for (let c = 0; c < width; c++) check(c, row[c], r);
      }
    } else {
      for (let c = 0; c < width; c++) {
        const column = batch.columns[c];
        for (let r = 0; r < n; r++) check(c, column[r], r);
      }
    }
  };
}
