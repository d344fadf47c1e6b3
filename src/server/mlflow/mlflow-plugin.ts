// The MLflow REST adapter: MLflow's wire format over Gyre's services, no second implementation.
//
// For other engineers adding endpoints (e.g. the model registry): write a file exporting
//   export function registerRegistryEndpoints(routes: MlflowRoutes, deps: AppDependencies): void
// that declares routes with `routes.get|post|patch|delete('/registered-models/create', handler)`
// (paths relative to /api/2.0/mlflow; the handler gets MlflowArgs and returns a snake_case
// object), and add it to ENDPOINTS below. Throw catalog errors; mlflow-errors.ts maps them.
import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../app.js';
import { toMlflowError } from './mlflow-errors.js';
import { mlflowRoutesOn, type MlflowRegistrar } from './mlflow-routes.js';
import { InvalidArgumentError } from '../../core/index.js';
import { registerRegistryEndpoints } from './registry-endpoints.js';

/** Every MLflow endpoint file, in the order they register. */
const ENDPOINTS: MlflowRegistrar[] = [
  registerRegistryEndpoints,
];

export const MLFLOW_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

/** MLflow refuses a POST or PUT whose Content-Type is not application/json. */
function checkContentType(method: string, contentType: string | undefined): void {
  if (method !== 'POST' && method !== 'PUT') return;
  if (!contentType)
    throw new InvalidArgumentError('Bad Request. Content-Type header is missing.', {
      field: 'content-type',
    });
  if (contentType.split(';')[0].trim().toLowerCase() !== 'application/json')
    throw new InvalidArgumentError(
      "Bad Request. Content-Type must be one of ['application/json'].",
      { field: 'content-type' },
    );
}

/** Sets up one MLflow scope: MLflow's error bodies, content-type rule and JSON parsing. */
export function configureMlflowScope(scope: FastifyInstance): void {
  scope.setErrorHandler((error, request, reply) => {
    const { status, body, internal } = toMlflowError(error, request.id);
    if (internal) request.log.error({ err: error, requestId: request.id }, 'unexpected error');
    else request.log.info({ code: body.error_code, message: body.message }, 'request refused');
    return reply.code(status).type('application/json').send(JSON.stringify(body));
  });
  scope.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json')
      .send(
        JSON.stringify({
          error_code: 'ENDPOINT_NOT_FOUND',
          message: `no MLflow endpoint ${request.method} ${request.url.split('?')[0]}`,
        }),
      ),
  );
  scope.addHook('onRequest', async (request) => {
    checkContentType(request.method, request.headers['content-type']);
  });
  // An empty JSON body is an empty message, as in MLflow (Fastify would refuse it).
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error) {
      done(
        new InvalidArgumentError(`request body is not valid JSON: ${(error as Error).message}`, {
          field: 'body',
        }),
        undefined,
      );
    }
  });
}

/**
 * Serves the MLflow REST API under /api/2.0/mlflow and /ajax-api/2.0/mlflow (the UI's path),
 * plus MLflow's /health and /version. `endpoints` defaults to every endpoint file.
 */
export async function registerMlflowApi(
  app: FastifyInstance,
  deps: AppDependencies,
  endpoints: readonly MlflowRegistrar[] = ENDPOINTS,
): Promise<void> {
  for (const prefix of MLFLOW_PREFIXES) {
    await app.register(
      async (scope) => {
        configureMlflowScope(scope);
        const routes = mlflowRoutesOn(scope);
        for (const register of endpoints) register(routes, deps);
      },
      { prefix },
    );
  }
  app.get('/health', async (_request, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', async (_request, reply) => reply.type('text/plain').send(deps.version));
}
