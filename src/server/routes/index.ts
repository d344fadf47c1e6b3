import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../app.js';
import { dataRoutes } from './data.routes.js';
import { healthRoutes } from './health.routes.js';

/** Every route group, one line each; each group lives in routes/<domain>.routes.ts. */
export async function registerRoutes(app: FastifyInstance, deps: AppDependencies): Promise<void> {
  await app.register(healthRoutes(deps.db));
  if (deps.data) await app.register(dataRoutes(deps.data));
}
