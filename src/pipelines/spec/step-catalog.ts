import type { OutputSpec, ValueType } from './pipeline-spec.js';

/** What validation needs to know of a built-in step type: its inputs and outputs. */
export interface StepTypeInfo {
  uses: string;
  inputs: Record<
    string,
    { type: ValueType; required?: boolean; default?: unknown; oneOf?: readonly string[] }
  >;
  outputs: Record<string, OutputSpec>;
  /** `false` for steps that change the world (a deployment): never answered from the cache. */
  cacheable?: boolean;
}

/** The built-in step types validation checks `uses` against. */
export interface StepCatalog {
  get(uses: string): StepTypeInfo | undefined;
  names(): string[];
}

/** Which actual value types an input of `expected` type accepts (templates and literals). */
export function accepts(expected: ValueType, actual: ValueType | 'unknown'): boolean {
  if (actual === 'unknown' || expected === 'json' || expected === actual) return true;
  switch (expected) {
    case 'string':
      return actual !== 'json';
    case 'number':
      return actual === 'integer' || actual === 'metric';
    case 'metric':
      return actual === 'number' || actual === 'integer';
    case 'file':
      return actual === 'string' || actual === 'artifact';
    case 'dataset':
    case 'model':
    case 'artifact':
      return actual === 'string';
    default:
      return false;
  }
}

/** The type of a literal (non-template) value, as validation sees it. */
export function literalType(value: unknown): ValueType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return 'json';
}
