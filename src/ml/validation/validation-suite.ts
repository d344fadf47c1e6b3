import { InvalidArgumentError } from '../../core/index.js';
import type { RawValue } from '../preprocess/preprocessor.js';
import type { DirectionalSpec, InvarianceSpec } from './behaviour-tests.js';
import { VALIDATION_METRICS } from './metric-for-task.js';

/** What a model must pass besides its headline metric (docs/governance.md). */
export interface ModelValidationSuite {
  /** The metric slices and the baseline are compared on (default: the task's primary one). */
  metric?: string;
  slices?: { columns: string[]; threshold: number; minRows?: number; bins?: number };
  invariance?: InvarianceSpec[];
  directional?: DirectionalSpec[];
  /** Candidate vs a baseline model on the same rows: may lose by at most `tolerance` (relative). */
  baseline?: { tolerance: number };
}

type Bag = Record<string, unknown>;

function fail(field: string, message: string): never {
  throw new InvalidArgumentError(`suite.${field}: ${message}`, { field: `suite.${field}` });
}
const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);
function num(bag: Bag, key: string, field: string, required = true): number | undefined {
  const v = bag[key];
  if (v === undefined && !required) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(`${field}.${key}`, 'must be a number');
  return n;
}
function str(bag: Bag, key: string, field: string): string {
  const v = bag[key];
  if (typeof v !== 'string' || v === '') fail(`${field}.${key}`, 'must be a column name');
  return v;
}
function list(bag: Bag, key: string): unknown[] {
  const v = bag[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(key, 'must be a list');
  return v;
}

/** Checks a suite written in a pipeline (JSON/YAML), naming the field that is wrong. */
export function parseValidationSuite(input: unknown): ModelValidationSuite {
  if (!isBag(input)) fail('', 'must be an object with slices, invariance, directional or baseline');
  const known = new Set(['metric', 'slices', 'invariance', 'directional', 'baseline']);
  for (const key of Object.keys(input))
    if (!known.has(key)) fail(key, `unknown check; use ${[...known].join(', ')}`);
  const suite: ModelValidationSuite = {};
  if (input.metric !== undefined) {
    if (typeof input.metric !== 'string' || !VALIDATION_METRICS.includes(input.metric))
      fail('metric', `must be one of ${VALIDATION_METRICS.join(', ')}`);
    suite.metric = input.metric;
  }
  if (input.slices !== undefined) {
    const s = input.slices;
    if (!isBag(s)) fail('slices', 'must be {columns, threshold}');
    const columns = list(s, 'columns');
    if (columns.length === 0 || !columns.every((c) => typeof c === 'string'))
      fail('slices.columns', 'must be a list of column names');
    suite.slices = {
      columns: columns as string[],
      threshold: num(s, 'threshold', 'slices')!,
      minRows: num(s, 'minRows', 'slices', false),
      bins: num(s, 'bins', 'slices', false),
    };
  }
  suite.invariance = list(input, 'invariance').map((t, i) => {
    if (!isBag(t)) fail(`invariance[${i}]`, 'must be {column, tolerance, values?}');
    const values = t.values;
    if (values !== undefined && !Array.isArray(values))
      fail(`invariance[${i}].values`, 'must be a list');
    return {
      column: str(t, 'column', `invariance[${i}]`),
      tolerance: num(t, 'tolerance', `invariance[${i}]`)!,
      ...(values ? { values: values as RawValue[] } : {}),
    };
  });
  suite.directional = list(input, 'directional').map((t, i) => {
    if (!isBag(t)) fail(`directional[${i}]`, 'must be {column, shift, expect}');
    if (t.expect !== 'increase' && t.expect !== 'decrease')
      fail(`directional[${i}].expect`, 'must be increase or decrease');
    return {
      column: str(t, 'column', `directional[${i}]`),
      shift: num(t, 'shift', `directional[${i}]`)!,
      expect: t.expect,
      tolerance: num(t, 'tolerance', `directional[${i}]`, false),
    };
  });
  if (input.baseline !== undefined) {
    if (!isBag(input.baseline)) fail('baseline', 'must be {tolerance}');
    suite.baseline = { tolerance: num(input.baseline, 'tolerance', 'baseline', false) ?? 0 };
  }
  return suite;
}
