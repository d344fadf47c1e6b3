import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidArgumentError, NotFoundError } from '../../core/index.js';
import {
  RUN_STATUSES,
  listBuiltinSteps,
  readStepLog,
  type PipelineService,
} from '../../pipelines/index.js';
import { access, authenticatedName } from '../auth/route-access.js';

const TAG = ['pipelines'];
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
  error: "must be a name: a letter, then up to 63 letters, digits, '_' or '-'",
});
// PostgreSQL text cannot hold NUL: refused up front rather than failing in the database.
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\0]*$/, { error: 'must not contain NUL characters' });
const runParams = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{32}$/, { error: 'must be a pipeline run id (32 hex characters)' }),
});
const params = z.record(
  z.string(),
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.unknown()),
    z.record(z.string(), z.unknown()),
  ]),
);

/** Pipelines and their runs under /api/v1: register, trigger, watch, cancel, resume, approve. */
export function pipelineRoutes(pipelines: PipelineService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/pipelines',
      { config: access('READ'), schema: { tags: TAG, summary: 'List registered pipelines' } },
      async () => ({
        pipelines: await pipelines.listPipelines(),
      }),
    );

    app.post(
      '/api/v1/pipelines',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary:
            'Register a pipeline (YAML text or the same as a JSON object); unchanged content keeps its version',
          body: z.union([
            z.strictObject({ yaml: z.string().min(1) }),
            z.strictObject({ spec: z.record(z.string(), z.unknown()) }),
          ]),
        },
      },
      async (request, reply) => {
        const body = request.body;
        const result = await pipelines.register(
          'yaml' in body
            ? { yaml: body.yaml, source: 'body.yaml' }
            : { spec: body.spec, source: 'body.spec' },
        );
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );

    app.get(
      '/api/v1/pipelines/:name',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: "A pipeline's definition: the latest version, or ?version=N",
          params: z.object({ name }),
          querystring: z.object({ version: z.coerce.number().int().positive().optional() }),
        },
      },
      async (request) => pipelines.getVersion(request.params.name, request.query.version),
    );

    app.post(
      '/api/v1/pipelines/:name/trigger',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary:
            'Start a run on this server; an Idempotency-Key header makes a retried request return the same run',
          params: z.object({ name }),
          headers: z.object({ 'idempotency-key': text(200).optional() }),
          body: z
            .strictObject({
              params: params.optional(),
              noCache: z.boolean().optional(),
              version: z.number().int().positive().optional(),
              idempotencyKey: text(200).optional(),
            })
            // A bare POST (no body) starts a run with the defaults.
            .nullish(),
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'] ?? request.body?.idempotencyKey;
        const { run, created } = await pipelines.startRun({
          pipeline: request.params.name,
          version: request.body?.version,
          params: request.body?.params,
          noCache: request.body?.noCache,
          trigger: { kind: 'api', ...(key ? { detail: { idempotencyKey: key } } : {}) },
          ...(key ? { fireKey: `api:${request.params.name}:${key}` } : {}),
        });
        return reply.code(created ? 202 : 200).send({ run, created });
      },
    );

    app.get(
      '/api/v1/pipeline-runs',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'Pipeline runs, newest first',
          querystring: z.object({
            pipeline: name.optional(),
            status: z.enum(RUN_STATUSES).optional(),
            maxResults: z.coerce.number().int().optional(),
            pageToken: z.string().optional(),
          }),
        },
      },
      async (request) => {
        const page = await pipelines.listRuns(request.query);
        return { runs: page.items, nextPageToken: page.nextPageToken };
      },
    );

    app.get(
      '/api/v1/pipeline-runs/:id',
      {
        config: access('READ'),
        schema: { tags: TAG, summary: 'A run and its steps', params: runParams },
      },
      async (request) => pipelines.getRun(request.params.id),
    );

    app.post(
      '/api/v1/pipeline-runs/:id/cancel',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary: 'Cancel a run (its steps are killed with their process trees)',
          params: runParams,
        },
      },
      async (request) => pipelines.cancel(request.params.id),
    );

    app.post(
      '/api/v1/pipeline-runs/:id/resume',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary:
            'Continue an interrupted, failed or cancelled run on this server, through the cache',
          params: runParams,
        },
      },
      async (request, reply) =>
        reply.code(202).send((await pipelines.resume(request.params.id)).run),
    );

    app.post(
      '/api/v1/pipeline-runs/:id/approve',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary: 'Approve gate(s) waiting for manual approval',
          params: runParams,
          // Who approves: the authenticated caller when there is one, else the name given.
          body: z.strictObject({ by: text(256).optional(), step: name.optional() }),
        },
      },
      async (request) => {
        const by = authenticatedName(request) ?? request.body.by;
        if (!by) throw new InvalidArgumentError('body.by: name who approves', { field: 'by' });
        return pipelines.approve(request.params.id, by, request.body.step);
      },
    );

    app.get(
      '/api/v1/pipeline-runs/:id/steps/:step/logs',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: "A step's log as text; with follow=true it streams until the step finishes",
          params: runParams.extend({ step: name }),
          querystring: z.object({
            follow: z.enum(['true', 'false']).default('false'),
            after: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (request, reply) => {
        const run = await pipelines.getRun(request.params.id);
        if (!run.steps.some((s) => s.step === request.params.step))
          throw new NotFoundError(`pipeline run ${run.id} has no step ${request.params.step}`, {
            step: request.params.step,
          });
        const stop = new AbortController();
        request.raw.on('close', () => stop.abort());
        const chunks = readStepLog(pipelines.store, run.id, request.params.step, {
          afterSeq: request.query.after,
          follow: request.query.follow === 'true',
          signal: stop.signal,
        });
        const text = (async function* () {
          for await (const chunk of chunks) yield chunk.text;
        })();
        return reply.header('content-type', 'text/plain; charset=utf-8').send(Readable.from(text));
      },
    );

    app.get(
      '/api/v1/pipeline-step-types',
      {
        config: access('READ'),
        schema: { tags: TAG, summary: 'The built-in step types, their inputs and outputs' },
      },
      async () => ({
        stepTypes: listBuiltinSteps().map(({ uses, description, inputs, outputs }) => ({
          uses,
          description,
          inputs,
          outputs,
        })),
      }),
    );
  };
}
