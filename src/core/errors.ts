/**
 * Gyre's one error catalog. Domain code throws these; the HTTP layer maps them once to
 * statuses (server/error-mapping.ts) and once to MLflow error codes (server/mlflow).
 * Every code is documented in docs/errors.md — a test keeps the two in step.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'FAILED_PRECONDITION',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RESOURCE_EXHAUSTED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown>;

export class GyreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** User errors are the caller's to fix; they are logged at info, not error. */
  get isUserError(): boolean {
    return this.code !== 'INTERNAL' && this.code !== 'UNAVAILABLE';
  }
}

/** The request names something malformed: a field, a path, a filter, a value out of range. */
export class InvalidArgumentError extends GyreError {
  constructor(message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, details, options);
  }
}

export class NotFoundError extends GyreError {
  constructor(message: string, details?: ErrorDetails) {
    super('NOT_FOUND', message, details);
  }
}

export class AlreadyExistsError extends GyreError {
  constructor(message: string, details?: ErrorDetails) {
    super('ALREADY_EXISTS', message, details);
  }
}

/** The request is well-formed but the system is not in a state to carry it out. */
export class FailedPreconditionError extends GyreError {
  constructor(message: string, details?: ErrorDetails) {
    super('FAILED_PRECONDITION', message, details);
  }
}

export class UnauthenticatedError extends GyreError {
  constructor(message: string, details?: ErrorDetails) {
    super('UNAUTHENTICATED', message, details);
  }
}

export class PermissionDeniedError extends GyreError {
  constructor(message: string, details?: ErrorDetails) {
    super('PERMISSION_DENIED', message, details);
  }
}

export class PayloadTooLargeError extends GyreError {
  constructor(message: string, details?: ErrorDetails) {
    super('PAYLOAD_TOO_LARGE', message, details);
  }
}

/** The request body's Content-Type is not one the endpoint reads (e.g. text/plain for JSON). */
export class UnsupportedMediaTypeError extends GyreError {
  constructor(message: string, details?: ErrorDetails) {
    super('UNSUPPORTED_MEDIA_TYPE', message, details);
  }
}

/** The caller sent more requests than its rate limit allows; retry after the given delay. */
export class ResourceExhaustedError extends GyreError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('RESOURCE_EXHAUSTED', message, details);
  }
}

/** A dependency (database, object store, cluster) cannot be reached right now; retrying may help. */
export class UnavailableError extends GyreError {
  constructor(message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, details, options);
  }
}

export class InternalError extends GyreError {
  constructor(message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super('INTERNAL', message, details, options);
  }
}

export function isGyreError(error: unknown): error is GyreError {
  return error instanceof GyreError;
}
