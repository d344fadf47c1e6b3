import type { FastifyBaseLogger } from 'fastify';
import type { Gyre } from '../gyre.js';
import { checkServeSecurity } from './auth/start-check.js';
import { installGracefulShutdown, listen } from './lifecycle.js';

export interface ServeOptions {
  version: string;
  logger: FastifyBaseLogger;
  /** Also watch the landing zones (`gyre up`). */
  landingZones?: boolean;
  /** `gyre serve`: run the lean model server (server/inference) instead of the API. */
  inference?: { model?: string; deployment?: string; host: string; port: number; workers: number };
  /** `gyre up`: the API's port also answers the inference protocols. */
  withInference?: boolean;
  /** `running.stop` shuts down as a signal would (`gyre demo` ends itself this way). */
  onListening(url: string, running?: { gyre: Gyre; stop(exitCode?: number): Promise<void> }): void;
}

/**
 * Serves a built Gyre over HTTP until SIGTERM / SIGINT: the API, then the background work
 * (event delivery, landing zones). On shutdown the server drains first, then background work
 * stops and the database closes (gyre.close()).
 */
export async function serveGyre(gyre: Gyre, options: ServeOptions): Promise<void> {
  if (options.inference) {
    // The lean model server never builds the API app; its modules load only here.
    const { serveInference } = await import('./inference/serve-inference.js');
    return serveInference(gyre, { ...options.inference, ...options });
  }
  await checkServeSecurity(gyre);
  const { buildApp } = await import('./app.js');
  const app = await buildApp(gyre, { version: options.version, logger: options.logger });
  const inference = options.withInference
    ? await (
        await import('./inference/mount-inference.js')
      ).mountInference(app, gyre, options.version)
    : undefined;
  const url = await listen(app, { host: gyre.config.server.host, port: gyre.config.server.port });
  gyre.start({ landingZones: options.landingZones, apiUrl: url });
  const shutdown = installGracefulShutdown({
    app,
    logger: options.logger,
    timeoutMs: gyre.config.server.shutdownTimeoutMs,
    drainDelayMs: gyre.config.server.drainDelayMs,
    // Models unload and the prediction log is written before the database closes.
    resources: inference ? [{ close: () => inference.stop() }, gyre] : [gyre],
  });
  options.onListening(url, { gyre, stop: (exitCode) => shutdown('stop', exitCode) });
}

/**
 * Serves the API on an ephemeral loopback port, for pipeline steps of a CLI run that call
 * back (MLflow clients, the SDK) while no server is up. Closed when the run is done.
 */
export async function serveApiOnLoopback(
  gyre: Gyre,
  options: { version: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const { buildApp } = await import('./app.js');
  const app = await buildApp(gyre, { version: options.version });
  const url = await listen(app, { host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
