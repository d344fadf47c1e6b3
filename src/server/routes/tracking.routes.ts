import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RUN_STATUSES, type TrackingService } from '../../tracking/index.js';
import {
  datasetInput,
  datasetInputOf,
  experimentJson,
  experimentSchema,
  listOf,
  metricInput,
  metricJson,
  metricSchema,
  pageQuery,
  runInfoJson,
  runInfoSchema,
  runJson,
  runSchema,
  searchQuery,
  valueOf,
} from './tracking-schemas.js';
import { access, authenticatedName } from '../auth/route-access.js';

const tags = z.record(z.string(), z.string()).optional();
const toList = (record: Record<string, string> | undefined) =>
  Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
const experimentParams = z.object({ experimentId: z.string() });
const runParams = z.object({ runId: z.string() });
const noContent = { 204: z.null().describe('done') };

/** Gyre's own tracking API under /api/v1: resource shapes, documented in OpenAPI. */
export function trackingRoutes(tracking: TrackingService): FastifyPluginAsyncZod {
  const { experiments, runs } = tracking;
  return async (app) => {
    const exp = { tags: ['experiments'] };
    app.get(
      '/api/v1/experiments',
      {
        config: access('READ'),
        schema: {
          ...exp,
          summary: 'Search experiments',
          querystring: searchQuery,
          response: {
            200: z.object({
              experiments: z.array(experimentSchema),
              nextPageToken: z.string().optional(),
            }),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await experiments.search({ ...q, orderBy: listOf(q.orderBy) });
        return { experiments: page.items.map(experimentJson), nextPageToken: page.nextPageToken };
      },
    );
    app.post(
      '/api/v1/experiments',
      {
        config: access('EDIT'),
        schema: {
          ...exp,
          summary: 'Create an experiment',
          body: z.object({ name: z.string(), artifactLocation: z.string().optional(), tags }),
          response: { 201: experimentSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            experimentJson(
              await experiments.create({ ...request.body, tags: toList(request.body.tags) }),
            ),
          ),
    );
    app.get(
      '/api/v1/experiments/:experimentId',
      {
        config: access('READ', 'experiment'),
        schema: {
          ...exp,
          summary: 'Get an experiment',
          params: experimentParams,
          response: { 200: experimentSchema },
        },
      },
      async (request) => experimentJson(await experiments.get(request.params.experimentId)),
    );
    app.patch(
      '/api/v1/experiments/:experimentId',
      {
        config: access('EDIT', 'experiment'),
        schema: {
          ...exp,
          summary: 'Rename an experiment or set tags',
          params: experimentParams,
          body: z.object({ name: z.string().optional(), tags }),
          response: { 200: experimentSchema },
        },
      },
      async (request) => {
        const id = request.params.experimentId;
        if (request.body.name !== undefined) await experiments.rename(id, request.body.name);
        for (const t of toList(request.body.tags)) await experiments.setTag(id, t.key, t.value);
        return experimentJson(await experiments.get(id));
      },
    );
    app.delete(
      '/api/v1/experiments/:experimentId',
      {
        config: access('EDIT', 'experiment'),
        schema: {
          ...exp,
          summary: 'Delete an experiment (and its runs); restorable',
          params: experimentParams,
          response: noContent,
        },
      },
      async (request, reply) => {
        await experiments.delete(request.params.experimentId);
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/api/v1/experiments/:experimentId/restore',
      {
        config: access('EDIT', 'experiment'),
        schema: {
          ...exp,
          summary: 'Restore a deleted experiment',
          params: experimentParams,
          response: { 200: experimentSchema },
        },
      },
      async (request) => {
        await experiments.restore(request.params.experimentId);
        return experimentJson(await experiments.get(request.params.experimentId));
      },
    );

    const run = { tags: ['runs'] };
    app.get(
      '/api/v1/runs',
      {
        config: access('READ'),
        schema: {
          ...run,
          summary: 'Search runs in one or more experiments',
          querystring: searchQuery.extend({
            experimentId: z
              .union([z.string(), z.array(z.string())])
              .describe('repeat for several experiments'),
          }),
          response: {
            200: z.object({ runs: z.array(runSchema), nextPageToken: z.string().optional() }),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await runs.search({
          ...q,
          experimentIds: listOf(q.experimentId),
          orderBy: listOf(q.orderBy),
        });
        return { runs: page.items.map(runJson), nextPageToken: page.nextPageToken };
      },
    );
    app.post(
      '/api/v1/runs',
      {
        config: access('EDIT', 'experiment'),
        schema: {
          ...run,
          summary: 'Start a run',
          body: z.object({
            experimentId: z.string().optional().describe('defaults to "0", the Default experiment'),
            runName: z.string().optional(),
            userId: z.string().optional(),
            startTime: z.number().int().optional(),
            tags,
          }),
          response: { 201: runSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(
          runJson(
            await runs.create({
              ...request.body,
              tags: toList(request.body.tags),
              principal: authenticatedName(request),
            }),
          ),
        ),
    );
    app.get(
      '/api/v1/runs/:runId',
      {
        config: access('READ', 'run'),
        schema: {
          ...run,
          summary: 'Get a run with its latest metrics, params, tags, inputs and outputs',
          params: runParams,
          response: { 200: runSchema },
        },
      },
      async (request) => runJson(await runs.get(request.params.runId)),
    );
    app.patch(
      '/api/v1/runs/:runId',
      {
        config: access('EDIT', 'run'),
        schema: {
          ...run,
          summary: 'Finish, rename or change the status of a run',
          params: runParams,
          body: z.object({
            status: z.enum(RUN_STATUSES).optional(),
            endTime: z.number().int().optional(),
            runName: z.string().optional(),
          }),
          response: { 200: runInfoSchema },
        },
      },
      async (request) => runInfoJson(await runs.update(request.params.runId, request.body)),
    );
    app.delete(
      '/api/v1/runs/:runId',
      {
        config: access('EDIT', 'run'),
        schema: {
          ...run,
          summary: 'Delete a run; restorable',
          params: runParams,
          response: noContent,
        },
      },
      async (request, reply) => {
        await runs.delete(request.params.runId);
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/api/v1/runs/:runId/restore',
      {
        config: access('EDIT', 'run'),
        schema: {
          ...run,
          summary: 'Restore a deleted run',
          params: runParams,
          response: { 200: runInfoSchema },
        },
      },
      async (request) => {
        await runs.restore(request.params.runId);
        return runInfoJson(await runs.getInfo(request.params.runId));
      },
    );
    app.post(
      '/api/v1/runs/:runId/log',
      {
        // Run telemetry is not audited; creating, updating and deleting the run is.
        config: { ...access('EDIT', 'run'), audit: false },
        schema: {
          ...run,
          summary: 'Log metrics, params and tags in one all-or-nothing batch',
          params: runParams,
          body: z.object({ metrics: z.array(metricInput).optional(), params: tags, tags }),
          response: noContent,
        },
      },
      async (request, reply) => {
        const now = Date.now();
        await runs.logBatch(request.params.runId, {
          metrics: (request.body.metrics ?? []).map((m) => ({
            key: m.key,
            value: valueOf(m.value),
            timestamp: m.timestamp ?? now,
            step: m.step ?? 0,
          })),
          params: toList(request.body.params),
          tags: toList(request.body.tags),
        });
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/api/v1/runs/:runId/inputs',
      {
        config: access('EDIT', 'run'),
        schema: {
          ...run,
          summary: 'Record the datasets a run consumed (digests up to 64 characters)',
          params: runParams,
          body: z.object({ datasets: z.array(datasetInput) }),
          response: noContent,
        },
      },
      async (request, reply) => {
        await runs.logInputs(request.params.runId, request.body.datasets.map(datasetInputOf));
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/v1/runs/:runId/metrics/:key',
      {
        config: access('READ', 'run'),
        schema: {
          ...run,
          summary: 'Full history of one metric, by step',
          params: z.object({ runId: z.string(), key: z.string() }),
          querystring: z.object(pageQuery),
          response: {
            200: z.object({ metrics: z.array(metricSchema), nextPageToken: z.string().optional() }),
          },
        },
      },
      async (request) => {
        const page = await runs.metricHistory(
          request.params.runId,
          request.params.key,
          request.query,
        );
        return { metrics: page.items.map(metricJson), nextPageToken: page.nextPageToken };
      },
    );
  };
}
