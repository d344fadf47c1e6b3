import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/index.js';
import type { Gyre } from '../../gyre.js';
import { createInferenceApp } from './inference-app.js';
import { createInferenceHandler } from './inference-handler.js';
import { createInferenceStack } from './inference-stack.js';
import { askPrimaryForMetrics, runPrimary } from './serving-cluster.js';

export interface InferenceServeOptions {
  version: string;
  logger: Logger;
  /** Serve one model URI (`gyre serve models:/...`) instead of the stored deployments. */
  model?: string;
  /** Serve only this stored deployment (a model-server pod on Kubernetes). */
  deployment?: string;
  host: string;
  port: number;
  /** Worker processes; 1 serves in this process. */
  workers: number;
  onListening(url: string): void;
  exit?: (code: number) => void;
}

/**
 * `gyre serve`: the lean inference app. With several workers this process becomes the
 * cluster's primary (it forks workers, runs background work and aggregates their metrics);
 * each worker — and a single-process server — loads the models and answers requests.
 */
export async function serveInference(gyre: Gyre, options: InferenceServeOptions): Promise<void> {
  if (options.workers > 1 && cluster.isPrimary) return runPrimary(gyre, options);
  const worker = cluster.isWorker;
  const stack = createInferenceStack(gyre, {
    model: options.model,
    deployment: options.deployment,
    processMetrics: true,
    fileTag: worker ? `${process.pid}-w${cluster.worker?.id}` : String(process.pid),
  });
  await stack.start();
  const handler = createInferenceHandler({
    server: stack.server,
    version: options.version,
    bodyLimitBytes: gyre.config.server.bodyLimitBytes,
    logger: options.logger,
    metrics: worker
      ? () => askPrimaryForMetrics()
      : async () => ({
          contentType: stack.registry.contentType,
          text: await stack.registry.metrics(),
        }),
  });
  if (worker) {
    const { AggregatorRegistry } = await import('prom-client');
    AggregatorRegistry.setRegistries([stack.registry]);
    new AggregatorRegistry(); // answers the primary's requests for this worker's metrics
  } else {
    // Alias follower and the other background work run once per machine: here, or in the primary.
    gyre.start();
  }
  const http = createInferenceApp(handler);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  if (!worker) options.onListening(`http://${host}:${port}`);
  installShutdown(
    http,
    async () => {
      await stack.stop();
      await gyre.close();
      if (stack.log) options.logger.info({ ...stack.log.totals }, 'prediction log written');
    },
    gyre.config.server.shutdownTimeoutMs,
    options,
  );
}

/**
 * On SIGTERM / SIGINT: stop accepting, let in-flight requests finish (closing keep-alive
 * connections as they go idle), then `cleanup` (unload models, write the prediction log,
 * close the database) and exit 0. A second signal or the timeout exits 1.
 */
function installShutdown(
  http: Server,
  cleanup: () => Promise<void>,
  timeoutMs: number,
  options: InferenceServeOptions,
): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info({ signal }, 'shutting down: draining in-flight requests');
    setTimeout(() => {
      options.logger.error({ timeoutMs }, 'shutdown timed out: exiting');
      exit(1);
    }, timeoutMs).unref();
    const idle = setInterval(() => http.closeIdleConnections(), 50);
    try {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      clearInterval(idle);
      await cleanup();
      exit(0);
    } catch (error) {
      options.logger.error({ err: error }, 'shutdown failed');
      exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A cluster worker stops when its primary says so (SIGTERM): a terminal's Ctrl-C reaches
  // every process of the group, and the primary then signals each worker once more.
  process.on('SIGINT', () => (cluster.isWorker ? undefined : void stop('SIGINT')));
}
