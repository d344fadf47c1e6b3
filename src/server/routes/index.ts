import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../app.js';
import { registerMlflowApi } from '../mlflow/mlflow-plugin.js';
import { dataRoutes } from './data.routes.js';
import { healthRoutes } from './health.routes.js';
import { registryRoutes } from './registry.routes.js';
import { trackingRoutes } from './tracking.routes.js';

/** Every route group, one line each; each group lives in routes/<domain>.routes.ts. */
export async function registerRoutes(app: FastifyInstance, deps: AppDependencies): Promise<void> {
  await app.register(healthRoutes(deps.db));
  await app.register(trackingRoutes(deps.tracking));
  await registerMlflowApi(app, deps);
  if (deps.registry) await app.register(registryRoutes(deps.registry));
  if (deps.data) await app.register(dataRoutes(deps.data));
}
