import { maskUrlPassword } from './mask-url-password.js';

/**
 * Log fields that can hold secrets, in pino's `redact` path syntax: credentials in request
 * headers, tokens and passwords at the top level or one level down, and the configured
 * database URL. Listed once here so every logger the process builds redacts the same.
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...[
    'password',
    'token',
    'secret',
    'secretAccessKey',
    'accessToken',
    'apiKey',
    'authorization',
  ].flatMap((key) => [key, `*.${key}`]),
  'database.url',
  '*.database.url',
  'databaseUrl',
];

/**
 * pino's `redact` option over REDACTED_LOG_PATHS. A URL keeps its shape with only the password
 * masked (the host helps debugging); any other value becomes `****`.
 */
export const LOG_REDACTION = {
  paths: [...REDACTED_LOG_PATHS],
  censor: (value: unknown, path: string[]): unknown =>
    typeof value === 'string' && /url$/i.test(path[path.length - 1] ?? '')
      ? maskUrlPassword(value)
      : '****',
};
