import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { migrationStatus, type Database } from '../../db/index.js';
import { readinessOf } from '../readiness.js';
import { PUBLIC } from '../auth/route-access.js';

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.object({
    dialect: z.string(),
    reachable: z.boolean(),
    pendingMigrations: z.array(z.string()),
  }),
  reason: z.string().optional(),
});

/**
 * Liveness (the process answers) and readiness (the database is reachable and migrated, and
 * the server is not shutting down).
 */
export function healthRoutes(db: Database): FastifyPluginAsyncZod {
  return async (app) => {
    const shutdown = readinessOf(app);
    app.get(
      '/healthz',
      {
        config: { access: PUBLIC },
        schema: {
          tags: ['health'],
          summary: 'Liveness',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        config: { access: PUBLIC },
        schema: {
          tags: ['health'],
          summary: 'Readiness: database reachable and migrations applied',
          response: { 200: readiness, 503: readiness },
        },
      },
      async (_request, reply) => {
        try {
          const { pending } = await migrationStatus(db);
          // Shutting down: still answering, but a load balancer must stop sending requests.
          const draining = shutdown.draining;
          const ready = pending.length === 0 && !draining;
          return reply.code(ready ? 200 : 503).send({
            status: ready ? 'ready' : 'not_ready',
            database: { dialect: db.dialect, reachable: true, pendingMigrations: pending },
            ...(ready
              ? {}
              : {
                  reason: draining
                    ? 'shutting down: draining requests'
                    : `${pending.length} migration(s) pending`,
                }),
          });
        } catch (error) {
          return reply.code(503).send({
            status: 'not_ready',
            database: { dialect: db.dialect, reachable: false, pendingMigrations: [] },
            reason: `database unreachable: ${(error as Error).message}`,
          });
        }
      },
    );
  };
}
