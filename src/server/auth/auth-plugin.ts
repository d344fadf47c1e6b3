import type { FastifyInstance, FastifyRequest } from 'fastify';
import { satisfies, permissionOfRole, type Principal, type ResourceRef } from '../../auth/index.js';
import { PermissionDeniedError, UnauthenticatedError, type Logger } from '../../core/index.js';
import type { Gyre } from '../../gyre.js';
import { AuditWriter } from './audit-writer.js';
import { Authenticator } from './authenticator.js';
import { createOidcVerifier } from './oidc-verifier.js';
import { auditTarget, resourceOf } from './resource-of.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking; set by the auth plugin before any handler runs. */
    principal?: Principal;
    /** The experiment or model the request touches, when its route names one. */
    resource?: ResourceRef;
  }
  interface FastifyContextConfig {
    /** False for high-volume run telemetry (metrics, params), which the audit log skips. */
    audit?: boolean;
  }
}

/** Who a request is when authentication is off and it carries no credentials. */
const LOCAL: Principal = { name: 'anonymous', role: 'admin', via: 'local' };

// Routes registered by plugins that cannot declare access themselves: the API docs.
const PUBLIC_PREFIXES = ['/api/docs'];

const isMutation = (method: string) =>
  method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/**
 * Authentication, authorization and the audit log for every route:
 * - each route must declare `config.access` (registration fails otherwise);
 * - credentials are checked whenever a request carries them, and required when auth is on;
 * - the role decides, or a grant on the resource the request names;
 * - every mutation is audited after its response, with its outcome.
 */
export async function registerAuth(
  app: FastifyInstance,
  gyre: Gyre,
  logger: Logger,
): Promise<void> {
  const authenticator = new Authenticator(
    gyre.auth.tokens,
    createOidcVerifier(gyre.config.auth.oidc),
  );
  const audit = new AuditWriter(gyre.auth.audit, logger);
  const required = gyre.config.auth.enabled;

  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    route.config ??= {};
    if (!route.config.access && PUBLIC_PREFIXES.some((p) => url.startsWith(p)))
      route.config.access = { permission: 'PUBLIC' };
    if (!route.config.access)
      throw new Error(`route ${String(route.method)} ${url} declares no access (config.access)`);
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // unmatched routes answer 404 on their own
    const principal = await authenticator.authenticate(request.headers.authorization);
    if (access.permission === 'PUBLIC') {
      request.principal = principal ?? LOCAL;
      return;
    }
    if (!principal && required)
      throw new UnauthenticatedError(
        'credentials required: send an API token as "Authorization: Bearer <token>"',
      );
    request.principal = principal ?? LOCAL;
  });

  // After the body is parsed (a grant may hang on the experiment a body names), before it is
  // validated, so a caller without access learns nothing from validation errors.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    const principal = request.principal;
    if (!access || !principal || access.permission === 'PUBLIC') return;
    const needed = access.permission;
    if (satisfies(permissionOfRole(principal.role), needed)) return;
    request.resource = await resourceOf(request, access, gyre.tracking);
    if (await gyre.auth.access.allows(principal, needed, request.resource)) return;
    throw new PermissionDeniedError(
      `${principal.name} (${principal.role}) lacks ${needed} permission${
        request.resource ? ` on ${request.resource.type} ${request.resource.id}` : ''
      }`,
      { needed },
    );
  });

  app.addHook('onResponse', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!isMutation(request.method) || !access || access.permission === 'PUBLIC') return;
    if (request.routeOptions.config.audit === false && reply.statusCode < 400) return;
    audit.write(auditEntryOf(request, reply.statusCode));
  });

  app.addHook('onClose', () => audit.flush());
}

function auditEntryOf(request: FastifyRequest, status: number) {
  const body = request.body;
  return {
    at: Date.now(),
    principal: request.principal?.name ?? 'unauthenticated',
    action: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
    target: auditTarget(request),
    outcome: status < 400 ? 'ok' : `http ${status}`,
    requestId: request.id,
    // Field names only: values may be secrets or large; ids are in the target.
    summary: {
      status,
      fields:
        body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body).sort() : [],
    },
  };
}
