import { InvalidArgumentError } from '../../core/index.js';
import type { Lookup } from '../spec/expressions.js';
import type { ParamSpec, PipelineSpec } from '../spec/pipeline-spec.js';
import type { StepOutputs } from '../steps/step-types.js';

/** What templates of one run can see: params, finished steps' outputs, the trigger. */
export interface RunScope {
  params: Record<string, unknown>;
  trigger: Record<string, unknown>;
  pipeline: { name: string; run_id: string };
  outputs: Map<string, StepOutputs>;
  /** Content digests of `file` params, by param name. */
  fileDigests: Map<string, string>;
}

function dig(value: unknown, path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Looks references up in a scope. With `digests`, outputs and file params resolve to their
 * content digest instead of their value: what the step cache keys on.
 */
export function scopeLookup(scope: RunScope, digests = false): Lookup {
  return (path) => {
    const [root, ...rest] = path;
    if (root === 'params') {
      if (digests && scope.fileDigests.has(rest[0]))
        return `sha256:${scope.fileDigests.get(rest[0])}`;
      return dig(scope.params, rest);
    }
    if (root === 'steps') {
      const output = scope.outputs.get(rest[0])?.[rest[2]];
      if (!output) return undefined;
      return digests && output.digest ? `sha256:${output.digest}` : output.value;
    }
    if (root === 'trigger') return dig(scope.trigger, rest);
    if (root === 'pipeline') return dig(scope.pipeline, rest);
    return undefined;
  };
}

function coerceParam(name: string, spec: ParamSpec, value: unknown): unknown {
  const fail = () => {
    throw new InvalidArgumentError(
      `param ${name} must be a ${spec.type}, got ${JSON.stringify(value)}`,
      {
        field: `params.${name}`,
      },
    );
  };
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const n =
        typeof value === 'number' ? value : text !== undefined && text !== '' ? Number(text) : NaN;
      if (!Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) fail();
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return fail();
    case 'json':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return fail();
      }
    default:
      if (typeof value === 'object' && value !== null) fail();
      return String(value);
  }
}

/**
 * A run's params: defaults, then the given values (strings from `-p key=value` are coerced
 * to the declared type). An unknown or missing param is an error naming it.
 */
export function resolveParams(
  spec: PipelineSpec,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!(key in spec.params))
      throw new InvalidArgumentError(
        `pipeline ${spec.name} has no param ${key} (params: ${Object.keys(spec.params).join(', ') || 'none'})`,
        { field: `params.${key}` },
      );
  }
  for (const [name, p] of Object.entries(spec.params)) {
    const value = name in given ? given[name] : p.default;
    if (value === undefined)
      throw new InvalidArgumentError(`pipeline ${spec.name} needs param ${name} (a ${p.type})`, {
        field: `params.${name}`,
      });
    params[name] = coerceParam(name, p, value);
  }
  return params;
}
