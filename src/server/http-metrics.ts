import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { collectDefaultMetrics, Histogram } from 'prom-client';
import { PUBLIC } from './auth/route-access.js';

/**
 * Prometheus metrics for one server: process metrics plus a request-duration histogram by
 * route pattern (never the raw URL, which would explode label cardinality) and status.
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: 'gyre_' });
  const duration = new Histogram({
    name: 'gyre_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.get(
    '/metrics',
    { schema: { hide: true }, config: { access: PUBLIC } },
    async (_request, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  );
}
