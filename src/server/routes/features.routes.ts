import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidArgumentError } from '../../core/index.js';
import {
  checkDefinition,
  definitionsError,
  DEFINITION_KINDS,
  type Definition,
  type DefinitionIssue,
  type FeatureServices,
} from '../../features/index.js';
import { access, authenticatedName } from '../auth/route-access.js';

const TAG = ['features'];
const nameParams = z.object({ name: z.string() });
const time = z.union([z.number().int(), z.string()]);

function epochMs(value: number | string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms =
    typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError(`${field}: must be epoch milliseconds or ISO 8601`, { field });
  return ms;
}

/** Feature definitions, discovery, training sets, materialization and online lookups. */
export function featureRoutes(features: FeatureServices): FastifyPluginAsyncZod {
  const { registry, discovery, trainingSets, materializer, online } = features;
  return async (app) => {
    app.post(
      '/api/v1/features/apply',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary:
            'Validate and register entities, feature views and feature services; returns the plan (added / changed / unchanged)',
          body: z.strictObject({
            definitions: z
              .array(z.record(z.string(), z.unknown()))
              .min(1)
              .describe('definitions as in the YAML files: each with kind and name'),
            dryRun: z.boolean().optional().describe('only compute the plan'),
          }),
        },
      },
      async (request) => {
        const valid: Definition[] = [];
        const issues: DefinitionIssue[] = [];
        request.body.definitions.forEach((raw, i) => {
          const checked = checkDefinition(raw, `definitions[${i}]`);
          if (checked.definition) valid.push(checked.definition);
          issues.push(...checked.issues);
        });
        if (issues.length > 0) throw definitionsError(issues);
        return registry.apply(valid, {
          createdBy: authenticatedName(request) ?? 'api',
          dryRun: request.body.dryRun ?? false,
        });
      },
    );
    app.get(
      '/api/v1/features/views',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'List or search feature views by name, tag, owner, entity or free text',
          querystring: z.object({
            name: z.string().optional().describe('part of the name'),
            tag: z.string().optional().describe('key or key=value'),
            owner: z.string().optional(),
            entity: z.string().optional(),
            q: z.string().optional().describe('part of the name, description or a feature'),
          }),
        },
      },
      async (request) => {
        const { q, ...filter } = request.query;
        const views = await registry.views({ ...filter, ...(q ? { query: q } : {}) });
        return {
          views: await Promise.all(
            views.map(async (v) => ({ ...v, freshness: await discovery.freshness(v.name) })),
          ),
        };
      },
    );
    app.get(
      '/api/v1/features/views/:name',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary:
            'A feature view with its sources, services, deployments, models, freshness and profiles',
          params: nameParams,
        },
      },
      async (request) => discovery.describeView(request.params.name),
    );
    app.get(
      '/api/v1/features/entities',
      { config: access('READ'), schema: { tags: TAG, summary: 'List entities' } },
      async () => ({ entities: await registry.entities() }),
    );
    app.get(
      '/api/v1/features/services',
      { config: access('READ'), schema: { tags: TAG, summary: 'List feature services' } },
      async () => ({ services: await registry.services() }),
    );
    app.get(
      '/api/v1/features/services/:name',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'A feature service with its views, features and join keys',
          params: nameParams,
        },
      },
      async (request) => registry.resolveService(request.params.name),
    );
    app.get(
      '/api/v1/features/definitions/:kind/:name/versions',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'Every applied version of a definition, newest first',
          params: z.object({ kind: z.enum(DEFINITION_KINDS), name: z.string() }),
        },
      },
      async (request) => ({
        versions: await registry.history(request.params.kind, request.params.name),
      }),
    );
    app.post(
      '/api/v1/features/training-sets',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary:
            'Build a point-in-time correct training set from entity rows (a dataset version) and register it as a dataset version',
          body: z.strictObject({
            service: z.string().min(1),
            entities: z.string().min(1).describe('the entity rows: a dataset version, name@3'),
            timestampColumn: z.string().optional().describe('default event_timestamp'),
            dataset: z.string().optional().describe('default <service>-training'),
          }),
        },
      },
      async (request, reply) => {
        const result = await trainingSets.build({
          service: request.body.service,
          entities: { dataset: request.body.entities },
          ...(request.body.timestampColumn
            ? { timestampColumn: request.body.timestampColumn }
            : {}),
          ...(request.body.dataset ? { dataset: request.body.dataset } : {}),
          createdBy: authenticatedName(request) ?? 'api',
        });
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );
    app.post(
      '/api/v1/features/materialize',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary: 'Write the latest values per entity of feature views to the online store',
          body: z
            .strictObject({
              views: z.array(z.string()).optional().describe('default: every view'),
              start: time.optional().describe('only event times after this'),
              end: time.optional().describe('only event times at or before this (default now)'),
            })
            .optional(),
        },
      },
      async (request) => {
        const body = request.body ?? {};
        const startMs = epochMs(body.start, 'start');
        const endMs = epochMs(body.end, 'end');
        const done = await materializer.materialize({
          ...(body.views ? { views: body.views } : {}),
          ...(startMs !== undefined ? { startMs } : {}),
          ...(endMs !== undefined ? { endMs } : {}),
        });
        online.invalidate();
        return { materializations: done };
      },
    );
    app.get(
      '/api/v1/features/online',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary:
            "A feature service's online values for one entity: entity=<join key value> (one key) or key=value pairs",
          querystring: z
            .object({
              service: z.string().min(1),
              entity: z.string().optional().describe('the value of the single join key'),
              at: time.optional().describe('judge TTLs as of this time (default now)'),
            })
            .catchall(z.string()),
        },
      },
      async (request) => {
        const { service, entity, at, ...rest } = request.query;
        const plan = await online.plan(service);
        const row: Record<string, unknown> = {};
        if (entity !== undefined) {
          if (plan.joinKeys.length !== 1)
            throw new InvalidArgumentError(
              `entity: ${service} needs ${plan.joinKeys.join(', ')}: pass each as key=value`,
              { field: 'entity' },
            );
          row[plan.joinKeys[0]] = entity;
        }
        for (const k of plan.joinKeys) if (k in rest) row[k] = rest[k];
        const atMs = epochMs(at as string | number | undefined, 'at');
        const found = await online.get(service, [row], atMs);
        return {
          service: found.service,
          entity: row,
          features: found.rows[0],
          missing: found.missing,
          eventTimes: Object.fromEntries(
            Object.entries(found.eventTimes).map(([v, t]) => [v, t[0] ?? null]),
          ),
        };
      },
    );
    app.post(
      '/api/v1/features/online',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: "A feature service's online values for several entities",
          body: z.strictObject({
            service: z.string().min(1),
            entities: z
              .array(z.record(z.string(), z.union([z.string(), z.number()])))
              .min(1)
              .max(1000),
            at: time.optional(),
          }),
        },
      },
      async (request) => {
        const found = await online.get(
          request.body.service,
          request.body.entities,
          epochMs(request.body.at, 'at'),
        );
        return found;
      },
    );
  };
}
