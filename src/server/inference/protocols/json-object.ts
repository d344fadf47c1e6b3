import { badRequest } from '../../../serving/index.js';

/**
 * A request body parsed as a JSON object, or a 400 naming the body: invalid JSON, or JSON that
 * is not an object (`shape` says what each protocol expects instead).
 */
export function parseJsonObject(text: string, shape: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw badRequest('body', `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('body', `must be ${shape}`);
  return body as Record<string, unknown>;
}
