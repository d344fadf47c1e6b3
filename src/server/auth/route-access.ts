import type { FastifyRequest } from 'fastify';
import type { Permission } from '../../auth/index.js';

/**
 * What a route needs, declared in its definition (`config: { access: … }`); the auth plugin
 * refuses to register a route without one. `PUBLIC` routes need no credentials at all.
 * `resource` names where the request says which experiment or model it touches, so a grant
 * on that one resource can allow what the caller's role does not.
 */
export interface RouteAccess {
  permission: Permission | 'PUBLIC';
  resource?: 'experiment' | 'run' | 'registered_model';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export const PUBLIC: RouteAccess = { permission: 'PUBLIC' };

/** `access('EDIT', 'run')` for a route's `config`. */
export function access(permission: RouteAccess['permission'], resource?: RouteAccess['resource']) {
  return { access: resource ? { permission, resource } : { permission } } satisfies {
    access: RouteAccess;
  };
}

/** The authenticated caller's name for records such as a run's user; undefined when anonymous. */
export function authenticatedName(request: FastifyRequest): string | undefined {
  return request.principal && request.principal.via !== 'local'
    ? request.principal.name
    : undefined;
}
