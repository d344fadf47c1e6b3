import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PERMISSIONS,
  RESOURCE_TYPES,
  ROLES,
  parseDuration,
  type AuthServices,
} from '../../auth/index.js';
import { access } from '../auth/route-access.js';

const TAGS = ['access'];
const tokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdBy: z.string(),
  createdAt: z.number(),
  expiresAt: z.number().optional(),
  lastUsedAt: z.number().optional(),
  revokedAt: z.number().optional(),
});
const grantTarget = z.object({
  principal: z.string().min(1),
  resourceType: z.enum(RESOURCE_TYPES),
  resourceId: z.string().min(1),
});

/** Tokens, per-resource grants and the audit log: admins only. */
export function accessRoutes(auth: AuthServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/whoami',
      {
        config: access('READ'),
        schema: {
          tags: TAGS,
          summary: 'The principal the request authenticated as, and its role',
          response: {
            200: z.object({ name: z.string(), role: z.enum(ROLES), via: z.string() }),
          },
        },
      },
      async (request) => request.principal!,
    );

    app.get(
      '/api/v1/tokens',
      {
        config: access('MANAGE'),
        schema: {
          tags: TAGS,
          summary: 'List API tokens (never their secrets)',
          response: { 200: z.object({ tokens: z.array(tokenInfo) }) },
        },
      },
      async () => ({ tokens: await auth.tokens.list() }),
    );

    app.post(
      '/api/v1/tokens',
      {
        config: access('MANAGE'),
        schema: {
          tags: TAGS,
          summary: 'Create an API token; the response is the only time the secret is shown',
          body: z.object({
            name: z.string(),
            role: z.enum(ROLES),
            expires: z.string().optional().describe('lifetime such as 30d, 12h, 45m'),
          }),
          response: { 201: z.object({ token: z.string(), info: tokenInfo }) },
        },
      },
      async (request, reply) => {
        const { name, role, expires } = request.body;
        const created = await auth.tokens.create({
          name,
          role,
          expiresInMs: expires === undefined ? undefined : parseDuration(expires),
          createdBy: request.principal!.name,
        });
        return reply.code(201).send(created);
      },
    );

    app.delete(
      '/api/v1/tokens/:token',
      {
        config: access('MANAGE'),
        schema: {
          tags: TAGS,
          summary: 'Revoke a token by id or name',
          params: z.object({ token: z.string() }),
          response: { 200: tokenInfo },
        },
      },
      async (request) => auth.tokens.revoke(request.params.token),
    );

    app.get(
      '/api/v1/permissions',
      {
        config: access('MANAGE'),
        schema: {
          tags: TAGS,
          summary: 'List per-resource grants',
          querystring: z.object({ principal: z.string().optional() }),
        },
      },
      async (request) => ({
        grants: await auth.access.list({ principal: request.query.principal }),
      }),
    );

    app.put(
      '/api/v1/permissions',
      {
        config: access('MANAGE'),
        schema: {
          tags: TAGS,
          summary: "Set a principal's permission on one experiment or registered model",
          body: grantTarget.extend({ permission: z.enum(PERMISSIONS) }),
        },
      },
      async (request) => {
        const { principal, resourceType, resourceId, permission } = request.body;
        return auth.access.grant({
          principal,
          permission,
          resource: { type: resourceType, id: resourceId },
          grantedBy: request.principal!.name,
        });
      },
    );

    app.delete(
      '/api/v1/permissions',
      {
        config: access('MANAGE'),
        schema: { tags: TAGS, summary: 'Remove a grant', querystring: grantTarget },
      },
      async (request, reply) => {
        const { principal, resourceType, resourceId } = request.query;
        await auth.access.revoke(principal, { type: resourceType, id: resourceId });
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/audit',
      {
        config: access('MANAGE'),
        schema: {
          tags: TAGS,
          summary: 'Audit entries, oldest first (the newest `limit` of them)',
          querystring: z.object({
            since: z.coerce.number().int().min(0).optional().describe('epoch milliseconds'),
            principal: z.string().optional(),
            limit: z.coerce.number().int().min(1).max(10_000).default(100),
          }),
        },
      },
      async (request) => ({ entries: await auth.audit.list(request.query) }),
    );
  };
}
