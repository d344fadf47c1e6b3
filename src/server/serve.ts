import type { FastifyBaseLogger } from 'fastify';
import type { Gyre } from '../gyre.js';
import { buildApp } from './app.js';
import { checkServeSecurity } from './auth/start-check.js';
import { installGracefulShutdown, listen } from './lifecycle.js';

export interface ServeOptions {
  version: string;
  logger: FastifyBaseLogger;
  /** Also watch the landing zones (`gyre up`). */
  landingZones?: boolean;
  onListening(url: string): void;
}

/**
 * Serves a built Gyre over HTTP until SIGTERM / SIGINT: the API, then the background work
 * (event delivery, landing zones). On shutdown the server drains first, then background work
 * stops and the database closes (gyre.close()).
 */
export async function serveGyre(gyre: Gyre, options: ServeOptions): Promise<void> {
  await checkServeSecurity(gyre);
  const app = await buildApp(gyre, { version: options.version, logger: options.logger });
  const url = await listen(app, { host: gyre.config.server.host, port: gyre.config.server.port });
  gyre.start({ landingZones: options.landingZones, apiUrl: url });
  installGracefulShutdown({
    app,
    logger: options.logger,
    timeoutMs: gyre.config.server.shutdownTimeoutMs,
    drainDelayMs: gyre.config.server.drainDelayMs,
    resources: [gyre],
  });
  options.onListening(url);
}

/**
 * Serves the API on an ephemeral loopback port, for pipeline steps of a CLI run that call
 * back (MLflow clients, the SDK) while no server is up. Closed when the run is done.
 */
export async function serveApiOnLoopback(
  gyre: Gyre,
  options: { version: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildApp(gyre, { version: options.version });
  const url = await listen(app, { host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
