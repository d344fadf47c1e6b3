import { z } from 'zod';
import { MISSED_RUN_POLICIES, VALUE_TYPES } from './pipeline-spec.js';

/** Names of pipelines, steps, params and outputs: usable in templates and file names. */
export const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const name = (what: string) =>
  z.string().regex(NAME, {
    error: `${what} must start with a letter and hold up to 64 letters, digits, '_' or '-'`,
  });

const DURATION = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)$/;

/** `500ms`, `30s`, `5m`, `1h`, or a number of seconds. */
export const duration = z
  .union([z.number().min(0), z.string().regex(DURATION)], {
    error: 'must be a duration such as 500ms, 30s, 5m, 1h (or a number of seconds)',
  })
  .transform((v) => {
    if (typeof v === 'number') return Math.round(v * 1000);
    const [, amount, unit] = DURATION.exec(v)!;
    const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
    return Math.round(Number(amount) * scale);
  });

const paramType = z.enum(
  VALUE_TYPES.filter((t) => t !== 'metric' && t !== 'artifact') as [string, ...string[]],
  { error: 'must be one of string, number, integer, boolean, file, dataset, model, json' },
);

const param = z.union([
  z.strictObject({
    type: paramType,
    default: z.unknown().optional(),
    description: z.string().optional(),
  }),
  // Shorthand: a bare default, its type taken from the value.
  z.union([z.string(), z.number(), z.boolean()]),
]);

const triggerParams = z.record(z.string(), z.unknown()).optional();
const trigger = z.union(
  [
    z.strictObject({
      schedule: z.string().min(1),
      timezone: z.string().min(1).optional(),
      missed: z.enum(MISSED_RUN_POLICIES).optional(),
      params: triggerParams,
    }),
    z.strictObject({ dataset: z.string().min(1), params: triggerParams }),
    z.strictObject({ model: z.string().min(1), params: triggerParams }),
    z.strictObject({ alert: z.string().min(1), params: triggerParams }),
  ],
  { error: 'a trigger is one of: schedule (cron), dataset, model or alert' },
);

const output = z.union([
  z.strictObject({
    type: z.enum(VALUE_TYPES),
    path: z.string().min(1).optional(),
    description: z.string().optional(),
  }),
  z.enum(VALUE_TYPES),
]);

const retries = z.union([
  z.number().int().min(0).max(100),
  z.strictObject({
    count: z.number().int().min(0).max(100),
    backoff: duration.optional(),
    max_delay: duration.optional(),
  }),
]);

export const rawStepSchema = z.strictObject({
  needs: z.union([name('a need'), z.array(name('a need'))]).optional(),
  uses: z.string().min(1).optional(),
  run: z.string().min(1).optional(),
  image: z.string().min(1).optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(name('an output name'), output).optional(),
  if: z.union([z.string().min(1), z.boolean()]).optional(),
  retries: retries.optional(),
  timeout: duration.optional(),
  cache: z.boolean().optional(),
  cache_key: z.string().optional(),
  resources: z
    .strictObject({
      cpu: z.number().positive().optional(),
      gpu: z.number().int().positive().optional(),
      memory: z
        .string()
        .regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/, {
          error: 'must be a quantity such as 512Mi or 4Gi',
        })
        .optional(),
    })
    .optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
  secrets: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[-._a-zA-Z0-9]+$/, {
        error: 'must be secret-name/key',
      }),
    )
    .optional(),
});

export const rawPipelineSchema = z.strictObject({
  name: name('the pipeline name'),
  description: z.string().optional(),
  params: z.record(name('a param name'), param).optional(),
  triggers: z.array(trigger).optional(),
  steps: z
    .record(name('a step name'), rawStepSchema)
    .refine((steps) => Object.keys(steps).length > 0, { error: 'a pipeline needs a step' }),
});

export type RawPipeline = z.input<typeof rawPipelineSchema>;
export type ParsedRawPipeline = z.output<typeof rawPipelineSchema>;
