import { createServer, type Server } from 'node:http';
import type { InferenceHandler } from './inference-handler.js';

/**
 * The lean app `gyre serve` runs: node:http and the inference routes, nothing else — no
 * management API, OpenAPI UI or MLflow tracking adapter, no framework in the request path.
 */
export function createInferenceApp(handler: InferenceHandler): Server {
  const server = createServer((req, res) => {
    if (handler(req, res)) return;
    req.resume();
    const body = JSON.stringify({
      error: `no route for ${req.method} ${(req.url ?? '').split('?')[0]}`,
    });
    res.writeHead(404, [
      'content-type',
      'application/json',
      'content-length',
      String(Buffer.byteLength(body)),
    ]);
    res.end(body);
  });
  // Longer than common load balancers' idle timeouts, so they close connections, not us.
  server.keepAliveTimeout = 65_000;
  return server;
}
