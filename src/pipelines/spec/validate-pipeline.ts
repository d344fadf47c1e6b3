import { Cron } from 'croner';
import { referencesOf } from './expressions.js';
import { ancestorsOf, topologicalOrder } from './dag-order.js';
import type {
  OutputSpec,
  ParamSpec,
  PipelineSpec,
  StepSpec,
  TriggerSpec,
  ValueType,
} from './pipeline-spec.js';
import type { ParsedRawPipeline } from './spec-schema.js';
import { accepts, literalType, type StepCatalog } from './step-catalog.js';
import {
  TemplateError,
  hasTemplate,
  parseCondition,
  parseTemplate,
  wholeExpression,
} from './templates.js';

/** One problem found in a definition: where (a key path) and what. */
export interface SpecIssue {
  path: (string | number)[];
  message: string;
}

const DEFAULT_RETRY = { count: 0, backoffMs: 1000, maxDelayMs: 60_000 };

function normalizeParam(raw: NonNullable<ParsedRawPipeline['params']>[string]): ParamSpec {
  if (typeof raw === 'object') return raw as ParamSpec;
  const type = literalType(raw);
  return { type: type === 'json' ? 'string' : (type as ParamSpec['type']), default: raw };
}

function normalizeOutput(
  name: string,
  raw: NonNullable<ParsedRawPipeline['steps'][string]['outputs']>[string],
): OutputSpec {
  const spec: OutputSpec = typeof raw === 'string' ? { type: raw } : { ...raw };
  if (spec.type === 'artifact' && spec.path === undefined) spec.path = name;
  return spec;
}

function normalizeStep(raw: ParsedRawPipeline['steps'][string]): StepSpec {
  const retries =
    raw.retries === undefined
      ? DEFAULT_RETRY
      : typeof raw.retries === 'number'
        ? { ...DEFAULT_RETRY, count: raw.retries }
        : {
            count: raw.retries.count,
            backoffMs: raw.retries.backoff ?? DEFAULT_RETRY.backoffMs,
            maxDelayMs: raw.retries.max_delay ?? DEFAULT_RETRY.maxDelayMs,
          };
  const step: StepSpec = {
    needs: raw.needs === undefined ? [] : typeof raw.needs === 'string' ? [raw.needs] : raw.needs,
    with: raw.with ?? {},
    outputs: Object.fromEntries(
      Object.entries(raw.outputs ?? {}).map(([k, v]) => [k, normalizeOutput(k, v)]),
    ),
    retries,
    cache: raw.cache ?? true,
    env: raw.env ?? {},
  };
  if (raw.uses !== undefined) step.uses = raw.uses;
  if (raw.run !== undefined) step.run = raw.run;
  if (raw.image !== undefined) step.image = raw.image;
  if (raw.if !== undefined) step.if = String(raw.if);
  if (raw.timeout !== undefined) step.timeoutMs = raw.timeout;
  if (raw.cache_key !== undefined) step.cacheKey = raw.cache_key;
  if (raw.resources !== undefined) step.resources = raw.resources;
  if (raw.secrets !== undefined) step.secrets = raw.secrets;
  return step;
}

/**
 * Turns a schema-checked definition into a PipelineSpec and checks what a schema cannot:
 * step types, needs and cycles, inputs against each step type, template references and
 * types, conditions, cron expressions. Returns every issue, not just the first.
 */
export function checkPipeline(
  raw: ParsedRawPipeline,
  catalog: StepCatalog,
): { spec: PipelineSpec; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message });
  const params = Object.fromEntries(
    Object.entries(raw.params ?? {}).map(([k, v]) => [k, normalizeParam(v)]),
  );
  const steps = Object.fromEntries(
    Object.entries(raw.steps).map(([k, v]) => [k, normalizeStep(v)]),
  );
  const spec: PipelineSpec = {
    name: raw.name,
    ...(raw.description ? { description: raw.description } : {}),
    params,
    triggers: (raw.triggers ?? []) as TriggerSpec[],
    steps,
  };

  for (const [name, p] of Object.entries(params)) {
    if (p.default !== undefined && !accepts(p.type, literalType(p.default)))
      issue(['params', name, 'default'], `default ${JSON.stringify(p.default)} is not a ${p.type}`);
  }
  spec.triggers.forEach((t, i) => {
    if (!('schedule' in t)) return;
    try {
      new Cron(t.schedule, { timezone: t.timezone, paused: true }).stop();
    } catch (error) {
      issue(['triggers', i, 'schedule'], `invalid schedule: ${(error as Error).message}`);
    }
  });

  const needs = Object.fromEntries(Object.entries(steps).map(([k, s]) => [k, s.needs]));
  for (const [name, step] of Object.entries(steps)) {
    step.needs.forEach((need, i) => {
      if (need === name) issue(['steps', name, 'needs', i], `step ${name} needs itself`);
      else if (!(need in steps))
        issue(['steps', name, 'needs', i], `step ${name} needs unknown step ${need}`);
    });
  }
  const sorted = topologicalOrder(needs);
  if ('cycle' in sorted) {
    issue(['steps', sorted.cycle[0], 'needs'], `steps form a cycle: ${sorted.cycle.join(' → ')}`);
  }

  for (const [name, step] of Object.entries(steps)) {
    const at = ['steps', name];
    if ((step.uses === undefined) === (step.run === undefined)) {
      issue(at, `step ${name} needs exactly one of uses (a built-in step) or run (a command)`);
      continue;
    }
    const upstream = ancestorsOf(needs, name);
    const typeOfRef = (path: string[], where: (string | number)[]): ValueType | 'unknown' => {
      const [root, ...rest] = path;
      if (root === 'params') {
        const p = params[rest[0] ?? ''];
        if (rest.length !== 1 || !p) {
          issue(
            where,
            `${path.join('.')}: no such param (declared: ${Object.keys(params).join(', ') || 'none'})`,
          );
          return 'unknown';
        }
        return p.type;
      }
      if (root === 'steps') {
        const [other, outputs, output] = rest;
        if (rest.length !== 3 || outputs !== 'outputs') {
          issue(where, `${path.join('.')}: write steps.<step>.outputs.<name>`);
          return 'unknown';
        }
        if (!(other in steps)) {
          issue(where, `${path.join('.')}: no step named ${other}`);
          return 'unknown';
        }
        if (!upstream.has(other)) {
          issue(
            where,
            `${path.join('.')}: step ${other} is not upstream of ${name}; add it to needs`,
          );
          return 'unknown';
        }
        const declared = outputsOf(steps[other], catalog);
        if (!declared?.[output]) {
          if (declared)
            issue(
              where,
              `${path.join('.')}: step ${other} has no output ${output} (it has: ${Object.keys(declared).join(', ') || 'none'})`,
            );
          return 'unknown';
        }
        return declared[output].type;
      }
      if (root === 'trigger' || root === 'pipeline') return 'unknown';
      issue(where, `${path.join('.')}: references start with params, steps, trigger or pipeline`);
      return 'unknown';
    };
    const typeOfValue = (value: unknown, where: (string | number)[]): ValueType | 'unknown' => {
      if (typeof value !== 'string' || !hasTemplate(value)) {
        if (value && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) typeOfValue(v, [...where, k]);
        }
        return literalType(value);
      }
      try {
        const template = parseTemplate(value);
        const whole = wholeExpression(template);
        let refType: ValueType | 'unknown' = 'unknown';
        for (const part of template) {
          if (typeof part === 'string') continue;
          for (const ref of referencesOf(part)) refType = typeOfRef(ref, where);
        }
        if (whole?.kind === 'ref') return refType;
        return whole ? 'boolean' : 'string';
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        issue(where, error.message);
        return 'unknown';
      }
    };

    if (step.if !== undefined) {
      try {
        for (const ref of referencesOf(parseCondition(step.if))) typeOfRef(ref, [...at, 'if']);
      } catch (error) {
        issue([...at, 'if'], (error as Error).message);
      }
    }
    if (step.run !== undefined) {
      typeOfValue(step.run, [...at, 'run']);
      for (const [key, value] of Object.entries(step.with))
        typeOfValue(value, [...at, 'with', key]);
      continue;
    }
    const type = catalog.get(step.uses!);
    if (!type) {
      issue(
        [...at, 'uses'],
        `unknown step type ${step.uses} (built-in: ${catalog.names().join(', ')})`,
      );
      continue;
    }
    if (Object.keys(step.outputs).length > 0)
      issue([...at, 'outputs'], `built-in step ${step.uses} declares its own outputs`);
    for (const [key, value] of Object.entries(step.with)) {
      const input = type.inputs[key];
      const where = [...at, 'with', key];
      if (!input) {
        issue(
          where,
          `${step.uses} has no input ${key} (inputs: ${Object.keys(type.inputs).join(', ')})`,
        );
        continue;
      }
      const actual = typeOfValue(value, where);
      if (!accepts(input.type, actual)) {
        issue(where, `${step.uses} input ${key} takes a ${input.type}, got a ${actual}`);
      } else if (
        input.oneOf &&
        typeof value === 'string' &&
        !hasTemplate(value) &&
        !input.oneOf.includes(value)
      ) {
        issue(
          where,
          `${step.uses} input ${key} must be one of ${input.oneOf.join(', ')}, got ${value}`,
        );
      }
    }
    for (const [key, input] of Object.entries(type.inputs)) {
      if (input.required && input.default === undefined && !(key in step.with))
        issue([...at, 'with'], `${step.uses} needs input ${key} (a ${input.type})`);
    }
  }
  return { spec, issues };
}

/** The outputs a step declares (built-in: its type's; run: its own), if known. */
export function outputsOf(
  step: StepSpec,
  catalog: StepCatalog,
): Record<string, OutputSpec> | undefined {
  if (step.run !== undefined) return step.outputs;
  return step.uses ? catalog.get(step.uses)?.outputs : undefined;
}
