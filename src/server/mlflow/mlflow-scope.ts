import type { FastifyInstance } from 'fastify';
import { InvalidArgumentError } from '../../core/index.js';
import { toMlflowError } from './mlflow-errors.js';

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
export function configureMlflowScope(
  scope: FastifyInstance,
  options: { jsonBodies: boolean } = { jsonBodies: true },
): void {
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
  if (!options.jsonBodies) return;
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
