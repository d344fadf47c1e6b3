// Parses what a user sends to create a monitor (REST body, the CLI's YAML or flags) into a
// MonitorSpec: every problem is an InvalidArgumentError naming the field.
import { z } from 'zod';
import { InvalidArgumentError } from '../../core/index.js';
import { ALERT_SEVERITIES } from '../monitoring-snapshot.js';
import { parseRuleExpression } from '../alerts/rule-expression.js';
import type { MonitorSpec } from './monitor-types.js';

const NAME = /^[A-Za-z0-9][\w.-]{0,127}$/;
const time = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const positiveInt = z.number().int().positive();

const actionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), url: z.url() }),
  z.strictObject({
    kind: z.literal('pipeline'),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }),
  z.strictObject({ kind: z.literal('rollback'), deployment: z.string().optional() }),
  z.strictObject({ kind: z.literal('pause-rollout'), deployment: z.string().optional() }),
]);

const ruleSchema = z.strictObject({
  name: z.string().regex(NAME, 'letters, digits, _ . - (at most 128)'),
  when: z.string().min(1),
  for: positiveInt.default(1),
  severity: z.enum(ALERT_SEVERITIES).default('warning'),
  cooldownMs: z.number().int().nonnegative().default(0),
  actions: z.array(actionSchema).default([]),
});

/** The body of `POST /api/v1/monitors` (and of a monitor YAML file), before defaults. */
export const monitorInputSchema = z.strictObject({
  name: z.string().regex(NAME, 'letters, digits, _ . - (at most 128)'),
  deployment: z.string().min(1),
  reference: z.union([
    z.strictObject({
      dataset: z.string().min(1).describe('housing or housing@3'),
      source: z.enum(['profile', 'parquet']).default('parquet'),
      target: z.string().optional().describe('the column the model predicts'),
    }),
    z.strictObject({
      window: z.strictObject({ start: time, end: time }).describe('a past range of the log'),
    }),
  ]),
  window: z.union([
    z.strictObject({ rows: positiveInt.describe('the latest N rows since the last check') }),
    z.strictObject({ durationMs: positiveInt.describe('the last N milliseconds') }),
  ]),
  columns: z.array(z.string().min(1)).min(1).optional(),
  kinds: z.record(z.string(), z.enum(['numeric', 'categorical'])).optional(),
  thresholds: z
    .strictObject({
      pValue: z.number().gt(0).lt(1).optional(),
      distance: z.number().positive().optional(),
      driftShare: z.number().gt(0).max(1).optional(),
      rawLimit: positiveInt.optional(),
    })
    .default({}),
  minRows: positiveInt.default(30),
  task: z.enum(['regression', 'classification']).default('regression'),
  alerts: z.array(ruleSchema).default([]),
  enabled: z.boolean().default(true),
});

export type MonitorInput = z.input<typeof monitorInputSchema>;

function fieldOf(path: PropertyKey[]): string {
  return path
    .filter((p): p is string | number => typeof p !== 'symbol')
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

/** Validates a monitor definition; returns its name and spec with defaults filled in. */
export function parseMonitorInput(raw: unknown): { name: string; spec: MonitorSpec } {
  const parsed = monitorInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = fieldOf(keys.length > 0 ? [...issue.path, keys[0]] : issue.path);
    const message = keys.length > 0 ? `unknown key "${keys[0]}"` : issue.message;
    throw new InvalidArgumentError(`monitor ${field || 'definition'}: ${message}`, { field });
  }
  const input = parsed.data;
  const names = new Set<string>();
  input.alerts.forEach((rule, i) => {
    if (names.has(rule.name))
      throw new InvalidArgumentError(`monitor alerts[${i}].name: ${rule.name} is used twice`, {
        field: `alerts[${i}].name`,
      });
    names.add(rule.name);
    try {
      parseRuleExpression(rule.when);
    } catch (error) {
      throw new InvalidArgumentError(`monitor alerts[${i}].when: ${(error as Error).message}`, {
        field: `alerts[${i}].when`,
      });
    }
  });
  const spec: MonitorSpec = {
    deployment: input.deployment,
    reference:
      'dataset' in input.reference
        ? {
            kind: 'dataset',
            dataset: input.reference.dataset,
            source: input.reference.source,
            ...(input.reference.target ? { target: input.reference.target } : {}),
          }
        : { kind: 'window', ...input.reference.window },
    window:
      'rows' in input.window
        ? { kind: 'count', rows: input.window.rows }
        : { kind: 'time', durationMs: input.window.durationMs },
    ...(input.columns ? { columns: input.columns } : {}),
    ...(input.kinds ? { kinds: input.kinds } : {}),
    thresholds: input.thresholds,
    minRows: input.minRows,
    task: input.task,
    alerts: input.alerts,
    enabled: input.enabled,
  };
  return { name: input.name, spec };
}
