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
  gyre.start({ landingZones: options.landingZones });
  installGracefulShutdown({
    app,
    logger: options.logger,
    timeoutMs: gyre.config.server.shutdownTimeoutMs,
    drainDelayMs: gyre.config.server.drainDelayMs,
    resources: [gyre],
  });
  options.onListening(url);
}
