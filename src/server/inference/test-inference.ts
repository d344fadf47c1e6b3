// Test-only (excluded from the build): a lean inference server over a test Gyre's stored
// deployments, listening on a free loopback port.
import type { AddressInfo } from 'node:net';
import { KyselyCursorStore } from '../../events/index.js';
import type { Gyre } from '../../gyre.js';
import {
  createModelServer,
  type ModelServer,
  type PredictionObserver,
} from '../../serving/index.js';
import { createInferenceApp } from './inference-app.js';
import { createInferenceHandler } from './inference-handler.js';

export interface TestInferenceServer {
  url: string;
  server: ModelServer;
  close(): Promise<void>;
}

export async function startTestInference(
  gyre: Gyre,
  options: { model?: string; observer?: PredictionObserver } = {},
): Promise<TestInferenceServer> {
  const cursors = new KyselyCursorStore(gyre.db);
  const server = createModelServer({
    deployments: gyre.serving.deployments,
    loader: gyre.serving.loader,
    events: gyre.events,
    latestEventId: () => cursors.latestEventId(),
    model: options.model,
    pollIntervalMs: 50,
    observer: options.observer,
    logger: gyre.logger,
  });
  await server.start();
  const handler = createInferenceHandler({
    server,
    version: '0.0.0-test',
    bodyLimitBytes: 1 << 20,
    logger: gyre.logger,
    metrics: async () => ({ contentType: 'text/plain', text: '# none\n' }),
  });
  const http = createInferenceApp(handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await server.stop();
    },
  };
}
