import type { FastifyInstance } from 'fastify';
import type { Gyre } from '../../gyre.js';
import { createInferenceHandler } from './inference-handler.js';
import { createInferenceStack, type InferenceStack } from './inference-stack.js';

/**
 * `gyre up` answers inference on the API's port: the inference routes run before Fastify
 * routes a request (an onRequest hook hands them the raw request and response), so the hot
 * path costs no framework work; the model server's metrics join the app's `/metrics`.
 */
export async function mountInference(
  app: FastifyInstance,
  gyre: Gyre,
  version: string,
): Promise<InferenceStack> {
  const stack = createInferenceStack(gyre);
  await stack.start();
  const handler = createInferenceHandler({
    server: stack.server,
    version,
    bodyLimitBytes: gyre.config.server.bodyLimitBytes,
    logger: gyre.logger.child({ component: 'inference' }),
    scoringHealthRoutes: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (handler(request.raw, reply.raw)) reply.hijack();
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.routeOptions.url !== '/metrics' || typeof payload !== 'string') return payload;
    return `${payload}\n${await stack.registry.metrics()}`;
  });
  return stack;
}
