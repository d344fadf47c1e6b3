// The MLflow REST adapter: MLflow's wire format over Gyre's services, no second implementation.
//
// For other engineers adding endpoints (e.g. the model registry): write a file exporting
//   export function registerRegistryEndpoints(routes: MlflowRoutes, services: MlflowServices): void
// that declares routes with `routes.get|post|patch|delete('/registered-models/create', handler)`
// (paths relative to /api/2.0/mlflow; the handler gets MlflowArgs and returns a snake_case
// object), and add it to ENDPOINTS below. Throw catalog errors; mlflow-errors.ts maps them.
import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../auth/route-access.js';
import { mlflowRoutesOn, type MlflowRegistrar, type MlflowServices } from './mlflow-routes.js';
import { registerArtifactEndpoints } from './artifact-endpoints.js';
import { registerArtifactProxy } from './artifact-proxy.js';
import { registerExperimentEndpoints } from './experiment-endpoints.js';
import { registerRunEndpoints } from './run-endpoints.js';
import { configureMlflowScope } from './mlflow-scope.js';
import { registerRegistryEndpoints } from './registry-endpoints.js';

/** Every MLflow endpoint file, in the order they register. */
const ENDPOINTS: MlflowRegistrar[] = [
  registerExperimentEndpoints,
  registerRunEndpoints,
  registerArtifactEndpoints,
  registerRegistryEndpoints,
];

export const MLFLOW_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

/**
 * Serves the MLflow REST API under /api/2.0/mlflow and /ajax-api/2.0/mlflow (the UI's path),
 * plus MLflow's /health and /version. `endpoints` defaults to every endpoint file.
 */
export async function registerMlflowApi(
  app: FastifyInstance,
  services: MlflowServices,
  endpoints: readonly MlflowRegistrar[] = ENDPOINTS,
): Promise<void> {
  for (const prefix of MLFLOW_PREFIXES) {
    await app.register(
      async (scope) => {
        configureMlflowScope(scope);
        const routes = mlflowRoutesOn(scope);
        for (const register of endpoints) register(routes, services);
      },
      { prefix },
    );
  }
  await registerArtifactProxy(app, services.artifacts);
  app.get('/health', { config: { access: PUBLIC } }, async (_request, reply) =>
    reply.type('text/plain').send('OK'),
  );
  app.get('/version', { config: { access: PUBLIC } }, async (_request, reply) =>
    reply.type('text/plain').send(services.version),
  );
}
