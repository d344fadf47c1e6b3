import { FailedPreconditionError } from '../../core/index.js';
import type { Gyre } from '../../gyre.js';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

const FIRST_TOKEN = 'gyre tokens create --name admin --role admin';

/**
 * Refuses to serve where anyone could reach an open server: beyond loopback authentication
 * is required, and with it on there must be an admin token to manage the rest.
 */
export async function checkServeSecurity(gyre: Gyre): Promise<void> {
  const { host } = gyre.config.server;
  if (!gyre.config.auth.enabled && !isLoopbackHost(host))
    throw new FailedPreconditionError(
      `refusing to serve on ${host} without authentication: set auth.enabled (GYRE_AUTH_ENABLED=true) and create the first admin token with \`${FIRST_TOKEN}\``,
      { host },
    );
  if (gyre.config.auth.enabled && !(await gyre.auth.tokens.hasAdmin()))
    throw new FailedPreconditionError(
      `authentication is on but no admin token exists: create one with \`${FIRST_TOKEN}\``,
    );
}
