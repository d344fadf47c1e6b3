import type { FastifyInstance } from 'fastify';
import type { Logger } from '../core/index.js';
import { readinessOf } from './readiness.js';

export interface ListenOptions {
  host: string;
  port: number;
}

/** Starts listening and returns the bound address as a URL. */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<string> {
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `http://${host}:${port}`;
}

export interface ShutdownOptions {
  app: FastifyInstance;
  logger: Logger;
  /** How long draining in-flight requests may take before the process exits 1. */
  timeoutMs: number;
  /**
   * On SIGTERM, how long the server keeps answering with /readyz at 503 before it stops
   * accepting connections, so load balancers take it out of rotation first. SIGINT (Ctrl-C at
   * a terminal) skips it. Default 0.
   */
  drainDelayMs?: number;
  /** Closed after the server has drained, in order (e.g. the database). */
  resources: { close(): Promise<void> }[];
  exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT: report not ready for the drain window (SIGTERM only), then stop
 * accepting connections, let in-flight requests finish, close the database and other
 * resources, exit 0. A second signal, or the timeout after the window, exits 1 at once.
 */
export function installGracefulShutdown(
  options: ShutdownOptions,
): (reason: string, exitCode?: number) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;
  const shutdown = async (signal: string, exitCode = 0): Promise<void> => {
    if (shuttingDown) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    shuttingDown = true;
    const drainDelayMs = signal === 'SIGTERM' ? (options.drainDelayMs ?? 0) : 0;
    if (drainDelayMs > 0) {
      readinessOf(options.app).draining = true;
      options.logger.info(
        { signal, drainDelayMs },
        'shutting down: /readyz answers 503 while load balancers take this instance out',
      );
      await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    }
    options.logger.info({ signal }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out: exiting');
      exit(1);
    }, options.timeoutMs);
    timer.unref();
    try {
      await options.app.close();
      for (const resource of options.resources) await resource.close();
      options.logger.info('shutdown complete');
      exit(exitCode);
    } catch (error) {
      options.logger.error({ err: error }, 'shutdown failed');
      exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return shutdown;
}
