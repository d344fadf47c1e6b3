import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ResourceExhaustedError } from '../../core/index.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Limits mutating requests per minute, per token (so one busy client cannot starve others)
 * or per client address for requests without one. Reads are not limited. Runs after the
 * auth plugin has named the principal.
 */
export async function registerRateLimits(app: FastifyInstance, perMinute: number): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: perMinute,
    timeWindow: 60_000,
    allowList: (request) => READS.has(request.method),
    keyGenerator: (request) =>
      request.principal && request.principal.via !== 'local' ? request.principal.name : request.ip,
    errorResponseBuilder: (_request, context) =>
      new ResourceExhaustedError(
        `rate limit of ${context.max} mutating requests per minute reached; retry in ${Math.ceil(context.ttl / 1000)} s`,
        { limit: context.max, retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      ),
  });
}
