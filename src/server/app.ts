import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RouteOptions,
} from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Registry } from 'prom-client';
import { maskUrlPassword, newRequestId } from '../core/index.js';
import type { Gyre } from '../gyre.js';
import { httpStatusOf, toGyreError, type ErrorBody } from './error-mapping.js';
import { answerClientError, answerFrameworkError, MAX_PARAM_LENGTH } from './framework-errors.js';
import { registerHostCheck } from './host-check.js';
import { registerHttpMetrics } from './http-metrics.js';
import helmet from '@fastify/helmet';
import { registerAuth } from './auth/auth-plugin.js';
import { registerRateLimits } from './auth/rate-limits.js';
import { registerOpenApi } from './openapi.js';
import { declareReadiness } from './readiness.js';
import { registerRoutes } from './routes/index.js';
import { registerUiStatic, type UiStatic } from './ui/ui-static.js';

export interface AppOptions {
  /** Gyre's version, for `/version` and the OpenAPI document. */
  version: string;
  /** A pino logger; omitted in tests that want silence. */
  logger?: FastifyBaseLogger;
  /** Called with every route as it registers: for tests and tools that list the API. */
  onRoute?(route: RouteOptions): void;
  /** The built web UI's directory (default: dist/ui, when built); `false` serves no UI. */
  uiRoot?: string | false;
}

/**
 * Builds Gyre's HTTP server without listening: request ids, error mapping to the one
 * catalog, metrics, OpenAPI and every route. Tests drive it with `app.inject()`.
 */
export async function buildApp(gyre: Gyre, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // Largest JSON body accepted; streamed uploads are not limited by it.
    bodyLimit: gyre.config.server.bodyLimitBytes,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : newRequestId();
    },
    // One concise line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Errors before any route runs get Gyre's body and a request id too (framework-errors.ts).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  // Gyre's API reads JSON bodies only: anything else is 415, not a string for the schema to
  // refuse. A scope taking other bodies (artifact uploads) registers its own parsers.
  app.removeContentTypeParser('text/plain');
  declareReadiness(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Requests in flight when shutdown starts still finish, but their keep-alive connections
  // must then close, or server.close() would wait on them until they time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Before any other check: a request that names a foreign host is not for this server.
  registerHostCheck(app, {
    bindHost: gyre.config.server.host,
    allowedHosts: gyre.config.server.allowedHosts,
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        // A query string may carry a token or password (`?token=`): never log it in clear.
        url: maskUrlPassword(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const gyreError = toGyreError(error, { contentType: request.headers['content-type'] });
    const status = httpStatusOf(gyreError.code);
    const body: ErrorBody = {
      error: { code: gyreError.code, message: gyreError.message, details: gyreError.details },
    };
    if (gyreError.code === 'INTERNAL') {
      request.log.error({ err: error, requestId: request.id }, 'unexpected error');
      body.error = {
        code: 'INTERNAL',
        message: `internal error (request id ${request.id})`,
        details: { requestId: request.id },
      };
    } else {
      request.log.info({ code: gyreError.code, message: gyreError.message }, 'request refused');
    }
    return reply.code(status).send(body);
  });
  let ui: UiStatic | undefined;
  app.setNotFoundHandler((request, reply) => {
    // A page of the web UI (`/runs/…`) is the UI's shell; its router draws the page.
    if (ui?.fallback(request, reply)) return reply;
    const body: ErrorBody = {
      error: {
        code: 'NOT_FOUND',
        message: `no route for ${request.method} ${request.url.split('?')[0]}`,
        details: {},
      },
    };
    return reply.code(404).send(body);
  });

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  await registerAuth(app, gyre, app.log);
  await registerRateLimits(app, gyre.config.auth.rateLimitPerMinute);
  // Security headers for the pages the server serves (API docs now, the UI later); a JSON API
  // client ignores them.
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await registerOpenApi(app, options.version);
  const metrics = new Registry();
  registerHttpMetrics(app, metrics);
  gyre.registerMetrics(metrics);
  await registerRoutes(app, gyre, options.version);
  if (options.uiRoot !== false) ui = registerUiStatic(app, options.uiRoot ?? undefined);
  return app;
}
