import { InvalidArgumentError } from '../core/index.js';

/**
 * Opaque page tokens: base64url of a small JSON object. Clients must treat them as opaque;
 * the server checks every field on the way back in, so a forged token is a clean
 * INVALID_ARGUMENT and never reaches SQL.
 */
export interface PageCursor {
  /** Rows already returned. */
  offset: number;
}

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ o: cursor.offset })).toString('base64url');
}

export function decodePageToken(token: string | undefined): PageCursor {
  if (token === undefined || token === '') return { offset: 0 };
  const refuse = (): never => {
    throw new InvalidArgumentError(`invalid page_token ${JSON.stringify(token)}`, {
      field: 'page_token',
    });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  const offset = (parsed as { o?: unknown } | null)?.o;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return refuse();
  return { offset };
}

/** The token for the page after one that returned `returned` of `limit` rows, if any. */
export function nextPageToken(
  cursor: PageCursor,
  returned: number,
  hasMore: boolean,
): string | undefined {
  return hasMore ? encodePageToken({ offset: cursor.offset + returned }) : undefined;
}
