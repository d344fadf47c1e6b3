import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InvalidArgumentError } from '../../core/index.js';
import { LOGICAL_TYPES } from '../types.js';

const severity = z.enum(['error', 'warn']).default('error');
const column = z.string().min(1);
const bound = z.number();
const base = { severity };

/** Every expectation a suite may use, keyed by its `expect` value. */
const EXPECTATIONS = {
  exists: z.strictObject({ expect: z.literal('exists'), column, ...base }),
  type: z.strictObject({ expect: z.literal('type'), column, type: z.enum(LOGICAL_TYPES), ...base }),
  not_null: z.strictObject({ expect: z.literal('not_null'), column, ...base }),
  max_null_fraction: z.strictObject({
    expect: z.literal('max_null_fraction'),
    column,
    max: z.number().min(0).max(1),
    ...base,
  }),
  range: z.strictObject({
    expect: z.literal('range'),
    column,
    min: bound.optional(),
    max: bound.optional(),
    ...base,
  }),
  allowed_values: z.strictObject({
    expect: z.literal('allowed_values'),
    column,
    values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
    ...base,
  }),
  regex: z.strictObject({
    expect: z.literal('regex'),
    column,
    pattern: z.string().min(1),
    ...base,
  }),
  unique: z.strictObject({ expect: z.literal('unique'), column, ...base }),
  row_count: z.strictObject({
    expect: z.literal('row_count'),
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
    ...base,
  }),
  mean: z.strictObject({
    expect: z.literal('mean'),
    column,
    min: bound.optional(),
    max: bound.optional(),
    ...base,
  }),
  sql: z.strictObject({
    expect: z.literal('sql'),
    /** A boolean SQL expression over the table's columns; rows where it is not true fail. */
    predicate: z.string().min(1),
    max_failing_fraction: z.number().min(0).max(1).default(0),
    ...base,
  }),
} as const;

export const EXPECTATION_KINDS = Object.keys(EXPECTATIONS) as (keyof typeof EXPECTATIONS)[];

const expectation = z.discriminatedUnion('expect', [
  EXPECTATIONS.exists,
  EXPECTATIONS.type,
  EXPECTATIONS.not_null,
  EXPECTATIONS.max_null_fraction,
  EXPECTATIONS.range,
  EXPECTATIONS.allowed_values,
  EXPECTATIONS.regex,
  EXPECTATIONS.unique,
  EXPECTATIONS.row_count,
  EXPECTATIONS.mean,
  EXPECTATIONS.sql,
]);

export type Expectation = z.infer<typeof expectation>;

const suiteSchema = z.strictObject({
  name: z.string().min(1).optional(),
  /** Compare with the dataset's previous version: schema changes and distribution shifts. */
  compare_previous: z.boolean().default(true),
  expectations: z.array(expectation).default([]),
});

/** A parsed validation suite. */
export type ValidationSuite = z.infer<typeof suiteSchema>;

/**
 * Parses a suite's YAML. Every problem is reported with the file, the line and the key path,
 * e.g. `suites/housing.yaml line 7: expectations[2].expect: unknown expectation "between"`.
 */
export function parseSuite(text: string, fileName = 'suite'): ValidationSuite {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = lineCounter.linePos(e.pos[0]).line;
    throw new InvalidArgumentError(`${fileName} line ${line}: ${e.message.split('\n')[0]}`, {
      file: fileName,
      line,
    });
  }
  const lineOf = (path: (string | number)[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const fail = (path: (string | number)[], message: string): never => {
    const key = path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`))
      .join('');
    const line = lineOf(path);
    throw new InvalidArgumentError(
      `${fileName}${line ? ` line ${line}` : ''}: ${key ? `${key}: ` : ''}${message}`,
      { file: fileName, ...(line ? { line } : {}), key },
    );
  };

  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail([], 'a suite must be a mapping with an `expectations` list');
  }
  // Check `expect` first so an unknown kind gets a message listing the known ones, rather
  // than a discriminated-union failure that says only "invalid input".
  const items = (raw as { expectations?: unknown }).expectations;
  if (Array.isArray(items)) {
    items.forEach((item, index) => {
      const kind = (item as { expect?: unknown } | null)?.expect;
      if (typeof kind !== 'string') {
        fail(['expectations', index], 'each expectation needs an `expect` key');
      } else if (!(EXPECTATION_KINDS as string[]).includes(kind)) {
        fail(
          ['expectations', index, 'expect'],
          `unknown expectation "${kind}" (known: ${EXPECTATION_KINDS.join(', ')})`,
        );
      }
    });
  }
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return fail(
      keys.length > 0 ? [...path, keys[0]] : path,
      keys.length > 0 ? `unknown key "${keys[0]}"` : issue.message,
    );
  }
  for (const [index, e] of parsed.data.expectations.entries()) {
    if (
      (e.expect === 'range' || e.expect === 'mean' || e.expect === 'row_count') &&
      e.min === undefined &&
      e.max === undefined
    ) {
      fail(['expectations', index], `${e.expect} needs min, max or both`);
    }
  }
  return parsed.data;
}
