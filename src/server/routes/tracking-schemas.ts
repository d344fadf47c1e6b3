import { z } from 'zod';
import {
  RUN_STATUSES,
  VIEW_TYPES,
  type DatasetInput,
  type Experiment,
  type Metric,
  type Run,
  type RunInfo,
} from '../../tracking/index.js';

// Gyre's own JSON shapes for tracking (camelCase resources), shared by the routes and OpenAPI.

const tags = z.record(z.string(), z.string()).describe('tag key → value');
const keyValue = z.object({ key: z.string(), value: z.string() });

/** JSON cannot hold NaN or ±Infinity; metric values carry them as strings. */
export const metricValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

export const metricSchema = z.object({
  key: z.string(),
  value: metricValue,
  timestamp: z.number().int().describe('epoch milliseconds'),
  step: z.number().int(),
});

export const experimentSchema = z.object({
  experimentId: z.string(),
  name: z.string(),
  artifactLocation: z.string(),
  lifecycleStage: z.enum(['active', 'deleted']),
  creationTime: z.number().int(),
  lastUpdateTime: z.number().int(),
  tags,
});

export const runInfoSchema = z.object({
  runId: z.string(),
  runName: z.string(),
  experimentId: z.string(),
  userId: z.string(),
  status: z.enum(RUN_STATUSES),
  startTime: z.number().int(),
  endTime: z.number().int().optional(),
  artifactUri: z.string(),
  lifecycleStage: z.enum(['active', 'deleted']),
});

export const runSchema = z.object({
  info: runInfoSchema,
  metrics: z.array(metricSchema).describe('latest value per key'),
  params: tags,
  tags,
  inputs: z.array(
    z.object({
      name: z.string(),
      digest: z.string(),
      sourceType: z.string(),
      source: z.string(),
      schema: z.string().optional(),
      profile: z.string().optional(),
      context: z.string().optional(),
      tags: z.array(keyValue),
    }),
  ),
  outputs: z.array(
    z.object({
      kind: z.literal('model_version'),
      name: z.string(),
      version: z.number().int(),
      createdAt: z.number().int(),
    }),
  ),
});

export const pageQuery = {
  maxResults: z.coerce.number().int().optional(),
  pageToken: z.string().optional(),
};

export const searchQuery = z.object({
  filter: z
    .string()
    .optional()
    .describe("MLflow filter, e.g. metrics.rmse < 0.5 AND params.model = 'gbdt'"),
  orderBy: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('e.g. metrics.rmse ASC; repeat for more'),
  viewType: z.enum(VIEW_TYPES).optional(),
  ...pageQuery,
});

export const metricInput = z.object({
  key: z.string(),
  value: metricValue,
  timestamp: z.number().int().optional().describe('defaults to now'),
  step: z.number().int().optional().describe('defaults to 0'),
});

/** A dataset a run consumed, as Gyre's API takes it (MLflow's DatasetInput, camelCase). */
export const datasetInput = z.object({
  name: z.string(),
  digest: z.string().describe('up to 64 characters: a whole sha256 in hex, or a prefix of one'),
  sourceType: z.string().describe('e.g. gyre, local, s3'),
  source: z.string().describe('e.g. housing@1 or a URI'),
  schema: z.string().optional(),
  profile: z.string().optional(),
  context: z.string().optional().describe('e.g. training; stored as the mlflow.data.context tag'),
  tags: z.record(z.string(), z.string()).optional(),
});

export function datasetInputOf(d: z.infer<typeof datasetInput>): Omit<DatasetInput, 'context'> {
  const tags = Object.entries(d.tags ?? {}).map(([key, value]) => ({ key, value }));
  if (d.context !== undefined) tags.push({ key: 'mlflow.data.context', value: d.context });
  return {
    name: d.name,
    digest: d.digest,
    sourceType: d.sourceType,
    source: d.source,
    ...(d.schema === undefined ? {} : { schema: d.schema }),
    ...(d.profile === undefined ? {} : { profile: d.profile }),
    tags,
  };
}

export function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function valueOf(v: number | 'NaN' | 'Infinity' | '-Infinity'): number {
  return typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
}

export function metricJson(m: Metric): z.infer<typeof metricSchema> {
  const value = Number.isFinite(m.value)
    ? m.value
    : Number.isNaN(m.value)
      ? ('NaN' as const)
      : m.value > 0
        ? ('Infinity' as const)
        : ('-Infinity' as const);
  return { key: m.key, value, timestamp: m.timestamp, step: m.step };
}

export function experimentJson(e: Experiment): z.infer<typeof experimentSchema> {
  return { ...e };
}

export function runInfoJson(info: RunInfo): z.infer<typeof runInfoSchema> {
  return { ...info };
}

export function runJson(run: Run): z.infer<typeof runSchema> {
  return {
    info: runInfoJson(run.info),
    metrics: run.metrics.map(metricJson),
    params: Object.fromEntries(run.params.map((p) => [p.key, p.value])),
    tags: Object.fromEntries(run.tags.map((t) => [t.key, t.value])),
    inputs: run.inputs,
    outputs: run.outputs,
  };
}
