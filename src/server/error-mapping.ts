import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { GyreError, type ErrorCode, type ErrorDetails } from '../core/index.js';
import { httpStatusOf } from './http-status.js';

export { httpStatusOf };

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: ErrorDetails };
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: { instancePath?: string; message?: string }[];
  validationContext?: string;
}

/**
 * Turns anything thrown while handling a request into a catalog error. Gyre's own errors pass
 * through; request-validation and framework errors (bad JSON, body too large, a body that is not
 * JSON) become user errors naming the problem (`request` supplies what they name); everything
 * else is INTERNAL, with its details kept for the log.
 */
export function toGyreError(error: unknown, request?: { contentType?: string }): GyreError {
  if (error instanceof GyreError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      field: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'is invalid',
    }));
    const first = issues[0];
    return new GyreError('INVALID_ARGUMENT', `${first.field}: ${first.message}`, { issues });
  }
  const e = error as FrameworkError;
  if (e?.validation) {
    const first = e.validation[0];
    const field = `${e.validationContext ?? 'body'}${(first?.instancePath ?? '').replaceAll('/', '.')}`;
    return new GyreError('INVALID_ARGUMENT', `${field}: ${first?.message ?? 'is invalid'}`);
  }
  if (e?.statusCode === 413)
    return new GyreError('PAYLOAD_TOO_LARGE', 'request body is larger than the server accepts');
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new GyreError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${JSON.stringify(request?.contentType ?? '')} is not supported here: send application/json`,
      { field: 'content-type' },
    );
  if (e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return new GyreError(
      'INVALID_ARGUMENT',
      'request body is empty but Content-Type is application/json',
    );
  if (e?.statusCode === 400)
    return new GyreError('INVALID_ARGUMENT', `request body is not valid: ${e.message}`);
  return new GyreError('INTERNAL', 'internal error', {}, { cause: error });
}
