import type { FastifyInstance } from 'fastify';
import { PermissionDeniedError } from '../core/index.js';

/** The names a browser uses for this machine, which no attacker's DNS can point elsewhere. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Whether a bind address reaches only this machine. */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1'
  );
}

/** The host name of a Host header: port and a trailing dot dropped, lower case. */
function hostName(header: string): string {
  const name = header.startsWith('[')
    ? header.slice(0, header.indexOf(']') + 1)
    : header.split(':')[0];
  return name.toLowerCase().replace(/\.$/, '');
}

export interface HostCheckOptions {
  /** The address the server binds to. */
  bindHost: string;
  /** Extra names to answer to; `*` accepts any. */
  allowedHosts: readonly string[];
}

/**
 * Refuses requests whose Host header names the server by a name it does not answer to. Bound to
 * loopback, that closes DNS rebinding: a web page whose name an attacker re-points at 127.0.0.1
 * makes the browser send `Host: attacker.example`, which is refused (PERMISSION_DENIED, 403)
 * before any route runs. Bound elsewhere, only configured names are enforced, when some are. A
 * request without a Host header (HTTP/1.0) is let through: browsers always send one.
 */
export function registerHostCheck(app: FastifyInstance, options: HostCheckOptions): void {
  const allowed = new Set(options.allowedHosts.map((h) => hostName(h)));
  if (allowed.has('*')) return;
  const loopback = isLoopbackAddress(options.bindHost);
  if (!loopback && allowed.size === 0) return;
  if (loopback) for (const name of LOOPBACK_NAMES) allowed.add(name);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.host;
    if (header === undefined || allowed.has(hostName(header))) return;
    throw new PermissionDeniedError(
      `Host ${JSON.stringify(header)} is not a name this server answers to; to serve it, add it to server.allowedHosts (GYRE_ALLOWED_HOSTS)`,
      { field: 'host' },
    );
  });
}
