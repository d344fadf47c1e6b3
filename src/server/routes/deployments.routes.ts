import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DEPLOYMENT_MODES,
  REVISION_ACTIONS,
  UNKNOWN_CATEGORY_POLICIES,
  type DeploymentService,
} from '../../serving/index.js';
import { access, authenticatedName } from '../auth/route-access.js';

const TAG = ['deployments'];
const nameParams = z.object({ name: z.string() });
const author = {
  createdBy: z
    .string()
    .max(256)
    .optional()
    .describe(
      'who makes the change when the request is anonymous (default: api); an authenticated caller is recorded instead',
    ),
  reason: z.string().max(5000).optional().describe('why; kept with the revision'),
};

const routeSpec = z.object({
  model: z.string().describe('model URI, e.g. models:/housing@champion'),
  role: z.enum(['primary', 'candidate', 'shadow']),
  weight: z.number().describe('percent of requests (canary) or routing keys (A/B)'),
});

const revisionSchema = z.object({
  deployment: z.string(),
  revision: z.number().int(),
  spec: z.object({
    mode: z.enum(DEPLOYMENT_MODES),
    routes: z.array(routeSpec),
    routingKey: z
      .object({ header: z.string().optional(), field: z.string().optional() })
      .optional(),
    unknownCategory: z.enum(UNKNOWN_CATEGORY_POLICIES),
    rollout: z
      .object({ steps: z.array(z.object({ weight: z.number(), pauseMs: z.number().int() })) })
      .optional(),
    featureService: z
      .string()
      .optional()
      .describe('requests are enriched from this feature service before the model runs'),
  }),
  routes: z.array(
    routeSpec.extend({
      name: z.string().optional(),
      version: z.number().int().optional(),
      storePath: z.string(),
      key: z.string().describe('the version a route is pinned to, e.g. housing/3'),
      flavor: z.string(),
    }),
  ),
  action: z.enum(REVISION_ACTIONS),
  createdBy: z.string(),
  reason: z.string().optional(),
  createdAt: z.number().int().describe('epoch milliseconds'),
});

const deploymentSchema = z.object({
  name: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  current: revisionSchema.describe('the revision traffic follows now'),
});

const deployBody = z.object({
  model: z
    .string()
    .describe('the model that answers: housing@champion, housing/4 or a models:/ URI'),
  canary: z.number().min(0).max(100).optional().describe('percent of requests for the new model'),
  ab: z.number().min(0).max(100).optional().describe('percent of routing keys for the new model'),
  keyHeader: z.string().optional().describe('A/B routing key header, e.g. x-user-id'),
  keyField: z
    .string()
    .optional()
    .describe('A/B routing key request field (in params / parameters)'),
  shadow: z.string().optional().describe('a model that gets a copy of every request'),
  unknownCategory: z.enum(UNKNOWN_CATEGORY_POLICIES).optional(),
  rollout: z
    .object({
      steps: z
        .array(z.object({ weight: z.number().min(0).max(100), pauseMs: z.number().int().min(0) }))
        .min(1),
    })
    .optional()
    .describe("the candidate's weight steps; the server's rollout driver walks them"),
  featureService: z
    .string()
    .optional()
    .describe(
      'a feature service: requests may carry only entity keys; the other inputs come from the online store',
    ),
  ...author,
});

/** Deployments and their revisions under /api/v1/deployments. */
export function deploymentRoutes(deployments: DeploymentService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/deployments',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'List deployments with their current revision',
          response: { 200: z.object({ deployments: z.array(deploymentSchema) }) },
        },
      },
      async () => ({ deployments: await deployments.list() }),
    );
    app.get(
      '/api/v1/deployments/:name',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'Get a deployment',
          params: nameParams,
          response: { 200: deploymentSchema },
        },
      },
      async (request) => deployments.get(request.params.name),
    );
    app.put(
      '/api/v1/deployments/:name',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary: 'Deploy a model: create the deployment, or change it (canary, A/B, shadow)',
          params: nameParams,
          body: deployBody,
          response: { 200: deploymentSchema },
        },
      },
      async (request) =>
        deployments.deploy({
          name: request.params.name,
          ...request.body,
          createdBy: authenticatedName(request) ?? request.body.createdBy ?? 'api',
        }),
    );
    app.get(
      '/api/v1/deployments/:name/revisions',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'Every revision of a deployment, newest first',
          params: nameParams,
          response: { 200: z.object({ revisions: z.array(revisionSchema) }) },
        },
      },
      async (request) => ({ revisions: await deployments.history(request.params.name) }),
    );
    app.post(
      '/api/v1/deployments/:name/promote',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary: 'Make the canary, A/B candidate or shadow the only model',
          params: nameParams,
          body: z.object(author).optional(),
          response: { 200: deploymentSchema },
        },
      },
      async (request) =>
        deployments.promote(request.params.name, {
          createdBy: authenticatedName(request) ?? request.body?.createdBy ?? 'api',
          reason: request.body?.reason,
        }),
    );
    app.post(
      '/api/v1/deployments/:name/rollback',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary: 'Go back to an earlier revision (the previous one by default)',
          params: nameParams,
          body: z.object({ toRevision: z.number().int().min(1).optional(), ...author }).optional(),
          response: { 200: deploymentSchema },
        },
      },
      async (request) =>
        deployments.rollback(request.params.name, {
          toRevision: request.body?.toRevision,
          createdBy: authenticatedName(request) ?? request.body?.createdBy ?? 'api',
          reason: request.body?.reason,
        }),
    );
    app.delete(
      '/api/v1/deployments/:name',
      {
        config: access('EDIT'),
        schema: { tags: TAG, summary: 'Delete a deployment and its history', params: nameParams },
      },
      async (request, reply) => {
        await deployments.delete(request.params.name);
        return reply.code(204).send();
      },
    );
  };
}
