// Errors raised before any route runs: the router's (a bad percent-encoding, a parameter
// longer than any name) and Node's HTTP parser's (headers too large, not HTTP at all). Fastify
// answers those with its own body and no request id; these handlers give them Gyre's.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GyreError, newRequestId } from '../core/index.js';
import type { ErrorBody } from './error-mapping.js';
import { toMlflowError } from './mlflow/mlflow-errors.js';

/** Longest path parameter the router matches: above every name Gyre allows (256 for models). */
export const MAX_PARAM_LENGTH = 1024;

const MLFLOW_PATHS = /^\/(ajax-)?api\/2\.0\/mlflow(-artifacts)?\//;

function bodyOf(error: GyreError): ErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

/** The router's errors as catalog errors, with the HTTP status each one keeps. */
function routerError(error: FastifyError, path: string): { error: GyreError; status: number } {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return {
        error: new GyreError(
          'INVALID_ARGUMENT',
          `the URL path '${path}' is not valid percent-encoding`,
          { field: 'url' },
        ),
        status: 400,
      };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        error: new GyreError(
          'PAYLOAD_TOO_LARGE',
          `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
          { field: 'url' },
        ),
        status: 414,
      };
    default:
      return {
        error: new GyreError('INTERNAL', 'internal error', {}, { cause: error }),
        status: 500,
      };
  }
}

/**
 * Fastify's `frameworkErrors` option. onRequest hooks have not run, so the request id header
 * is set here; under the MLflow prefixes the body is MLflow's, as for the routes there.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const path = request.url.split('?')[0];
  const { error: gyreError, status } = routerError(error, path);
  reply.header('x-request-id', request.id);
  if (status === 500) request.log.error({ err: error, requestId: request.id }, 'unexpected error');
  else request.log.info({ code: gyreError.code, message: gyreError.message }, 'request refused');
  if (MLFLOW_PATHS.test(path)) {
    const { body } = toMlflowError(gyreError, request.id);
    void reply.code(status).type('application/json').send(JSON.stringify(body));
    return;
  }
  const body = bodyOf(gyreError);
  if (status === 500)
    body.error = {
      code: 'INTERNAL',
      message: `internal error (request id ${request.id})`,
      details: { requestId: request.id },
    };
  void reply.code(status).send(body);
}

/** What Node's HTTP parser refused, as a status and a catalog error. */
function clientError(error: NodeJS.ErrnoException): { status: number; error: GyreError } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        error: new GyreError(
          'PAYLOAD_TOO_LARGE',
          'request headers are larger than the server accepts',
        ),
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        error: new GyreError('INVALID_ARGUMENT', 'the request did not arrive in time'),
      };
    default:
      return {
        status: 400,
        error: new GyreError('INVALID_ARGUMENT', 'the request is not valid HTTP/1.1'),
      };
  }
}

/**
 * Fastify's `clientErrorHandler` option: Node calls it for a request it could not parse, before
 * any Fastify request exists, so the answer is written to the socket by hand (as Node's default
 * does), with a fresh request id that the log line names. Fastify calls it bound to the app.
 */
export function answerClientError(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, error: gyreError } = clientError(error);
  const requestId = newRequestId();
  this.log.info({ requestId, code: gyreError.code, parserError: error.code }, 'request refused');
  if (socket.writable) {
    const body = JSON.stringify(bodyOf(gyreError));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `content-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
