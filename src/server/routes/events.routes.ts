import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventStore } from '../../events/index.js';
import { access } from '../auth/route-access.js';

/** The durable events outbox, read with a cursor (what pipeline triggers consume). */
export function eventRoutes(events: EventStore): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/events',
      {
        config: access('READ'),
        schema: {
          tags: ['events'],
          summary: 'Durable events after a cursor, oldest first',
          querystring: z.object({
            after: z.coerce.number().int().min(0).default(0),
            type: z.string().optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
        },
      },
      async (request) => {
        const page = await events.list({
          afterId: request.query.after,
          type: request.query.type,
          limit: request.query.limit,
        });
        return { events: page, next: page.at(-1)?.id ?? request.query.after };
      },
    );
  };
}
