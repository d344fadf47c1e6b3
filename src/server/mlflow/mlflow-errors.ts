import { assertNever, type ErrorCode } from '../../core/index.js';
import { toGyreError } from '../error-mapping.js';

/** An MLflow `ErrorCode` name (databricks.proto) and the HTTP status MLflow answers it with. */
export interface MlflowErrorKind {
  errorCode: string;
  status: number;
}

/**
 * The one mapping from Gyre's error catalog to MLflow's wire errors. MLflow refuses writes to a
 * deleted run with INVALID_PARAMETER_VALUE (not INVALID_STATE, which it answers with a 500),
 * so a failed precondition maps there too: bad input is never a 5xx.
 */
export function mlflowErrorOf(code: ErrorCode): MlflowErrorKind {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return { errorCode: 'INVALID_PARAMETER_VALUE', status: 400 };
    case 'FAILED_PRECONDITION':
      return { errorCode: 'INVALID_PARAMETER_VALUE', status: 400 };
    case 'NOT_FOUND':
      return { errorCode: 'RESOURCE_DOES_NOT_EXIST', status: 404 };
    case 'ALREADY_EXISTS':
      return { errorCode: 'RESOURCE_ALREADY_EXISTS', status: 400 };
    case 'UNAUTHENTICATED':
      return { errorCode: 'UNAUTHENTICATED', status: 401 };
    case 'PERMISSION_DENIED':
      return { errorCode: 'PERMISSION_DENIED', status: 403 };
    case 'PAYLOAD_TOO_LARGE':
      return { errorCode: 'INVALID_PARAMETER_VALUE', status: 413 };
    case 'UNSUPPORTED_MEDIA_TYPE':
      // MLflow refuses a body that is not JSON as a bad parameter.
      return { errorCode: 'INVALID_PARAMETER_VALUE', status: 400 };
    case 'RESOURCE_EXHAUSTED':
      return { errorCode: 'REQUEST_LIMIT_EXCEEDED', status: 429 };
    case 'UNAVAILABLE':
      return { errorCode: 'TEMPORARILY_UNAVAILABLE', status: 503 };
    case 'INTERNAL':
      return { errorCode: 'INTERNAL_ERROR', status: 500 };
    default:
      return assertNever(code, 'error code');
  }
}

/** MLflow's error body. */
export interface MlflowErrorBody {
  error_code: string;
  message: string;
}

/** Turns anything thrown by an MLflow endpoint into MLflow's status and `{error_code, message}`. */
export function toMlflowError(
  error: unknown,
  requestId: string,
): { status: number; body: MlflowErrorBody; internal: boolean } {
  const gyreError = toGyreError(error);
  const { errorCode, status } = mlflowErrorOf(gyreError.code);
  const internal = gyreError.code === 'INTERNAL';
  const message = internal ? `internal error (request id ${requestId})` : gyreError.message;
  return { status, body: { error_code: errorCode, message }, internal };
}
