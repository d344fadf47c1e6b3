import { UnavailableError } from '../core/index.js';

// Network errors, and PostgreSQL's refusals before any query runs: bad password (28P01),
// no such role (28000), no such database (3D000), server starting up (57P03).
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '28P01',
  '28000',
  '3D000',
  '57P03',
  // better-sqlite3 cannot open the file (a missing directory, no permission).
  'SQLITE_CANTOPEN',
]);

/**
 * A failure to reach the metadata database, told as the user needs it: which database (its
 * URL, password masked), what went wrong, and what to check. Undefined for other errors.
 */
export function connectionFailure(
  error: unknown,
  displayUrl: string,
): UnavailableError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as Error | null)?.message ?? String(error);
  if (typeof code !== 'string' || !CONNECTION_CODES.has(code)) {
    if (!/connection terminated|timeout expired/i.test(message)) return undefined;
  }
  return new UnavailableError(
    `cannot reach the metadata database at ${displayUrl} (${message}): check that it is running and that database.url (GYRE_DATABASE_URL) points at it`,
    { database: displayUrl },
    { cause: error },
  );
}
