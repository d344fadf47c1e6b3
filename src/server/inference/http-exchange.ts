import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { PayloadTooLargeError } from '../../core/index.js';

// Request ids: a random per-process prefix and a counter. Unique across workers and restarts
// in practice, and far cheaper than random bytes per request.
const PREFIX = randomBytes(4).toString('hex');
let counter = 0;
const GIVEN_ID = /^[\w.-]{1,64}$/;

/** The client's `x-request-id` when it is a sane one, else a fresh id. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && GIVEN_ID.test(given)) return given;
  return `${PREFIX}-${(++counter).toString(36)}`;
}

/**
 * Reads a whole request body as text, refusing more than `limit` bytes. Callback-style: a
 * small body arrives in one chunk and costs no promise.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  done: (error: Error | undefined, text: string) => void,
): void {
  let first: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > limit) {
      failed = true;
      done(new PayloadTooLargeError(`request body is larger than ${limit} bytes`), '');
      req.resume();
      return;
    }
    if (first === undefined) first = chunk;
    else (chunks ??= [first]).push(chunk);
  });
  req.on('end', () => {
    if (failed) return;
    const body = chunks ? Buffer.concat(chunks) : first;
    done(undefined, body ? body.toString('utf8') : '');
  });
  req.on('error', (error) => {
    if (failed) return;
    failed = true;
    done(error, '');
  });
}

/** Sends a JSON (or text) body with the headers every inference answer carries. */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
  modelVersion?: string,
  contentType = 'application/json',
): void {
  const headers: string[] = [
    'content-type',
    contentType,
    'content-length',
    String(Buffer.byteLength(body)),
    'x-request-id',
    requestId,
  ];
  if (modelVersion !== undefined) headers.push('x-gyre-model-version', modelVersion);
  res.writeHead(status, headers);
  res.end(body);
}
