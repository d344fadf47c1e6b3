import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { GyreError, InvalidArgumentError, type Logger } from '../../core/index.js';
import type { InferenceResult, ModelServer } from '../../serving/index.js';
import { httpStatusOf } from '../http-status.js';
import { readBody, requestIdOf, send } from './http-exchange.js';
import { oipError, oipMetadata } from './protocols/oip-v2.js';
import { kserve, mlflow, oip, type Protocol } from './protocols/protocols.js';

export interface InferenceHandlerOptions {
  server: ModelServer;
  /** Gyre's version, answered by `/v2` and `/version`. */
  version: string;
  bodyLimitBytes: number;
  logger: Logger;
  /** Serves `/metrics` (the lean server; inside `gyre up` the management app has its own). */
  metrics?: () => Promise<{ contentType: string; text: string }>;
  /**
   * Answer MLflow scoring's `/health` and `/version` (default). Inside `gyre up` the MLflow
   * tracking adapter answers them as `mlflow server` does, so they are left to it.
   */
  scoringHealthRoutes?: boolean;
}

/** Handles a request when it is an inference route; false lets the caller answer it. */
export type InferenceHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const V2_MODEL = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;
const V1_MODEL = /^\/v1\/models\/([^/:]+)(:predict)?$/;
const DEPLOYMENT_INVOCATIONS = /^\/deployments\/([^/]+)\/invocations$/;

function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The inference routes of every protocol over one ModelServer, on plain node:http requests:
 * the lean `gyre serve` app uses it directly and `gyre up` puts it in front of the management
 * API. The hot path reads the body with callbacks, predicts synchronously for native models
 * and writes the answer as a prebuilt string.
 */
export function createInferenceHandler(options: InferenceHandlerOptions): InferenceHandler {
  const { server, logger } = options;

  const fail = (
    res: ServerResponse,
    protocol: Protocol<never>,
    /** The deployment to count the error against; undefined when already counted (or none). */
    countFor: string | undefined,
    error: unknown,
    requestId: string,
  ): void => {
    const known = error instanceof GyreError;
    const code = known ? error.code : 'INTERNAL';
    if (!known) logger.error({ err: error, requestId }, 'inference failed unexpectedly');
    const message =
      known && code !== 'INTERNAL' ? error.message : `internal error (request id ${requestId})`;
    if (countFor !== undefined) server.reportError(countFor, code);
    if (res.headersSent) return;
    send(res, httpStatusOf(code), protocol.error(code, message), requestId);
  };

  function predict<B>(
    req: IncomingMessage,
    res: ServerResponse,
    protocol: Protocol<B>,
    name: string,
    version?: string,
  ): void {
    const startedAt = performance.now();
    const requestId = requestIdOf(req);
    readBody(req, options.bodyLimitBytes, (readError, text) => {
      if (readError) return fail(res, protocol as Protocol<never>, name, readError, requestId);
      let body: B;
      let routingKey: string | undefined;
      try {
        body = protocol.parse(text, req);
        const table = server.table(name);
        protocol.precheck?.(body, table);
        const key = table?.routingKey;
        if (key?.header !== undefined) {
          const h = req.headers[key.header];
          routingKey = typeof h === 'string' ? h : undefined;
        } else if (key?.field !== undefined) routingKey = protocol.routingField(body, key.field);
      } catch (error) {
        return fail(res, protocol as Protocol<never>, name, error, requestId);
      }
      const ok = (result: InferenceResult): void => {
        let answer: string;
        try {
          answer = protocol.answer(name, result, body);
        } catch (error) {
          return fail(res, protocol as Protocol<never>, name, error, requestId);
        }
        send(res, 200, answer, requestId, result.route.version);
      };
      // ModelServer counts the errors of infer() itself.
      const counted = (error: unknown) =>
        fail(res, protocol as Protocol<never>, undefined, error, requestId);
      try {
        const result = server.infer(name, protocol.decoder, body, {
          requestId,
          routingKey,
          startedAt,
          version,
        });
        if (result instanceof Promise) result.then(ok, counted);
        else ok(result);
      } catch (error) {
        counted(error);
      }
    });
  }

  /** The deployment MLflow's `/invocations` answers for: the only one, or the one a header names. */
  const defaultDeployment = (req: IncomingMessage): string => {
    const named = req.headers['x-gyre-deployment'];
    if (typeof named === 'string' && named !== '') return named;
    const all = server.deployments();
    if (all.length === 1) return all[0].name;
    throw new InvalidArgumentError(
      all.length === 0
        ? 'no deployment is served here'
        : `this server serves ${all.length} deployments (${all.map((d) => d.name).join(', ')}): name one in the x-gyre-deployment header or POST /deployments/{name}/invocations`,
      { field: 'x-gyre-deployment' },
    );
  };

  const json = (res: ServerResponse, req: IncomingMessage, status: number, value: unknown) =>
    send(res, status, JSON.stringify(value), requestIdOf(req));

  const v2 = (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    const id = () => requestIdOf(req);
    if (path === '/v2' && req.method === 'GET') {
      json(res, req, 200, { name: 'gyre', version: options.version, extensions: [] });
      return true;
    }
    if (path === '/v2/health/live' && req.method === 'GET') {
      json(res, req, 200, { live: true });
      return true;
    }
    if (path === '/v2/health/ready' && req.method === 'GET') {
      json(res, req, server.ready ? 200 : 503, { ready: server.ready });
      return true;
    }
    const m = V2_MODEL.exec(path);
    if (!m) return false;
    const name = segment(m[1]);
    const version = m[2] === undefined ? undefined : segment(m[2]);
    if (m[3] === '/infer') {
      if (req.method !== 'POST') return false;
      predict(req, res, oip, name, version);
      return true;
    }
    if (req.method !== 'GET') return false;
    const table = server.table(name);
    const route = table && (version === undefined ? table.primary : table.byVersion(version));
    if (!table || !route) {
      const known = server.deployments().some((d) => d.name === name);
      const message =
        known && !table
          ? `model ${name} is not ready`
          : `model ${name}${version ? ` version ${version}` : ''} is not served here`;
      if (m[3] === '/ready' && known) json(res, req, 503, { name, ready: false });
      else send(res, known && !table ? 503 : 404, oipError(message), id());
      return true;
    }
    if (m[3] === '/ready') json(res, req, 200, { name, ready: true });
    else send(res, 200, JSON.stringify(oipMetadata(name, table, route)), id(), route.version);
    return true;
  };

  const v1 = (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    if (path === '/v1/models' && req.method === 'GET') {
      json(res, req, 200, { models: server.deployments().map((d) => d.name) });
      return true;
    }
    const m = V1_MODEL.exec(path);
    if (!m) return false;
    const name = segment(m[1]);
    if (m[2]) {
      if (req.method !== 'POST') return false;
      predict(req, res, kserve, name);
      return true;
    }
    if (req.method !== 'GET') return false;
    const table = server.table(name);
    if (table) json(res, req, 200, { name, ready: true });
    else send(res, 404, oipError(`model ${name} is not served here`), requestIdOf(req));
    return true;
  };

  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.startsWith('/v2')) return v2(req, res, path);
    if (path.startsWith('/v1/models')) return v1(req, res, path);
    if (path === '/invocations' && req.method === 'POST') {
      let name: string;
      try {
        name = defaultDeployment(req);
      } catch (error) {
        fail(res, mlflow as Protocol<never>, undefined, error, requestIdOf(req));
        req.resume();
        return true;
      }
      predict(req, res, mlflow, name);
      return true;
    }
    const deployment = DEPLOYMENT_INVOCATIONS.exec(path);
    if (deployment && req.method === 'POST') {
      predict(req, res, mlflow, segment(deployment[1]));
      return true;
    }
    const health = options.scoringHealthRoutes !== false;
    if ((path === '/ping' || (health && path === '/health')) && req.method === 'GET') {
      // MLflow's scoring server: 200 once the model is loaded, else 404.
      send(res, server.ready ? 200 : 404, '\n', requestIdOf(req));
      return true;
    }
    if (health && path === '/version' && req.method === 'GET') {
      send(res, 200, options.version, requestIdOf(req), undefined, 'text/plain; charset=utf-8');
      return true;
    }
    if (path === '/metrics' && req.method === 'GET' && options.metrics) {
      const requestId = requestIdOf(req);
      options.metrics().then(
        (m) => send(res, 200, m.text, requestId, undefined, m.contentType),
        (error: unknown) => fail(res, oip as Protocol<never>, undefined, error, requestId),
      );
      return true;
    }
    return false;
  };
}
