import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArtifactStore } from '../../artifacts/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { RouteAccess } from '../auth/route-access.js';
import { mlflowRouteConfig } from './mlflow-access.js';
import { MlflowArgs } from './mlflow-args.js';
import { toMlflowJson } from './mlflow-json.js';

/**
 * An MLflow endpoint: gets the request's arguments (query string for GET, JSON body
 * otherwise) and returns the reply message as a plain object with snake_case keys (`{}` for
 * an empty reply), or a string already holding protobuf-JSON for hot paths.
 */
export type MlflowHandler = (args: MlflowArgs, request: FastifyRequest) => Promise<unknown>;

/**
 * Where endpoint files declare their routes; paths are relative to `/api/2.0/mlflow`. The
 * access a route needs comes from MLflow's permission table (mlflow-access.ts) unless given.
 */
export interface MlflowRoutes {
  get(path: string, handler: MlflowHandler, access?: RouteAccess): void;
  post(path: string, handler: MlflowHandler, access?: RouteAccess): void;
  patch(path: string, handler: MlflowHandler, access?: RouteAccess): void;
  delete(path: string, handler: MlflowHandler, access?: RouteAccess): void;
}

/** The services the MLflow adapter translates to; each endpoint file takes the ones it uses. */
export interface MlflowServices {
  tracking: TrackingService;
  registry: RegistryService;
  artifacts: ArtifactStore;
  /** Gyre's version, answered on MLflow's `/version`. */
  version: string;
}

/** One endpoint file's entry point, e.g. `registerRegistryEndpoints(routes, services)`. */
export type MlflowRegistrar = (routes: MlflowRoutes, services: MlflowServices) => void;

function argsOf(request: FastifyRequest): MlflowArgs {
  if (request.method === 'GET')
    return MlflowArgs.fromQuery(request.query as Record<string, string | string[]>);
  // MLflow clients send DELETE arguments as a JSON body; accept the query string too.
  if (request.method === 'DELETE' && request.body === undefined)
    return MlflowArgs.fromQuery(request.query as Record<string, string | string[]>);
  return MlflowArgs.fromBody(request.body);
}

async function send(reply: FastifyReply, result: unknown): Promise<FastifyReply> {
  const payload = typeof result === 'string' ? result : toMlflowJson(result ?? {});
  return reply.type('application/json').send(payload);
}

/** Binds MlflowRoutes to one Fastify scope (one of the two MLflow prefixes). */
export function mlflowRoutesOn(scope: FastifyInstance): MlflowRoutes {
  const add =
    (method: 'GET' | 'POST' | 'PATCH' | 'DELETE') =>
    (path: string, handler: MlflowHandler, access?: RouteAccess) => {
      scope.route({
        method,
        url: path,
        config: access ? { access } : mlflowRouteConfig(method, path),
        handler: async (request, reply) => send(reply, await handler(argsOf(request), request)),
      });
    };
  return { get: add('GET'), post: add('POST'), patch: add('PATCH'), delete: add('DELETE') };
}
