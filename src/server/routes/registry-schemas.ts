import { z } from 'zod';
import type { LineageMetric, ModelVersion, RegisteredModelDetail } from '../../registry/index.js';

const tags = z.record(z.string(), z.string()).describe('tag key → value');

/** JSON cannot hold NaN or ±Infinity; lineage metric values carry them as strings. */
const metricValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  createdAt: z.number().int().describe('epoch milliseconds'),
  updatedAt: z.number().int().describe('epoch milliseconds'),
  stage: z.enum(['None', 'Staging', 'Production', 'Archived']),
  description: z.string().optional(),
  source: z.string().describe('where the model files are, e.g. runs:/<run id>/model'),
  runId: z.string().optional(),
  runLink: z.string().optional(),
  status: z.enum(['PENDING_REGISTRATION', 'READY', 'FAILED_REGISTRATION']),
  statusMessage: z.string().optional(),
  tags,
  aliases: z.array(z.string()),
  metadata: z
    .object({
      flavors: z.record(z.string(), z.unknown()),
      signature: z
        .object({ inputs: z.unknown(), outputs: z.unknown(), params: z.unknown() })
        .partial()
        .optional(),
      modelUuid: z.string().optional(),
      mlflowVersion: z.string().optional(),
      createdAtUtc: z.string().optional(),
      runId: z.string().optional(),
    })
    .optional()
    .describe("read from the source's MLmodel file at registration"),
  lineage: z
    .object({
      runId: z.string(),
      datasets: z.array(
        z.object({ name: z.string(), digest: z.string(), context: z.string().optional() }),
      ),
      metrics: z.array(
        z.object({
          key: z.string(),
          value: metricValue,
          step: z.number().int(),
          timestamp: z.number().int(),
        }),
      ),
    })
    .optional()
    .describe("snapshot of the source run's datasets and latest metrics at registration"),
});

export const registeredModelSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  tags,
  aliases: z.array(z.object({ alias: z.string(), version: z.number().int() })),
  latestVersions: z.array(modelVersionSchema).describe('the newest version in each stage'),
});

export const searchQuerySchema = z.object({
  filter: z.string().optional().describe("MLflow filter, e.g. name LIKE 'fraud%'"),
  maxResults: z.coerce.number().int().optional(),
  orderBy: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('e.g. last_updated_timestamp DESC; repeat for several'),
  pageToken: z.string().optional(),
});

export type SearchQueryInput = z.infer<typeof searchQuerySchema>;

export function searchOf(query: SearchQueryInput) {
  return {
    filter: query.filter,
    maxResults: query.maxResults,
    orderBy: query.orderBy === undefined ? undefined : [query.orderBy].flat(),
    pageToken: query.pageToken,
  };
}

function metricJson(m: LineageMetric) {
  return {
    ...m,
    value: Number.isFinite(m.value)
      ? m.value
      : (String(m.value) as 'NaN' | 'Infinity' | '-Infinity'),
  };
}

export function versionJson(v: ModelVersion): z.infer<typeof modelVersionSchema> {
  return v.lineage
    ? { ...v, lineage: { ...v.lineage, metrics: v.lineage.metrics.map(metricJson) } }
    : { ...v, lineage: undefined };
}

export function modelJson(m: RegisteredModelDetail): z.infer<typeof registeredModelSchema> {
  return { ...m, latestVersions: m.latestVersions.map(versionJson) };
}
