// KServe's v1 protocol: GET /v1/models/{name}, POST /v1/models/{name}:predict with
// {"instances": [...]} answered by {"predictions": [...]}; errors {"error": "..."}.
import { badRequest, type BatchDecoder } from '../../../serving/index.js';
import { batchFromInstances } from './tabular-decoding.js';

export interface KserveRequest {
  instances: unknown;
  parameters?: Record<string, unknown>;
}

export function parseKserveRequest(text: string): KserveRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw badRequest('body', `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('body', 'must be an object with instances');
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.instances)) throw badRequest('instances', 'must be an array of instances');
  return {
    instances: b.instances,
    ...(typeof b.parameters === 'object' && b.parameters !== null
      ? { parameters: b.parameters as Record<string, unknown> }
      : {}),
  };
}

export const kserveDecoder: BatchDecoder<KserveRequest> = {
  decode: (request, signature) => batchFromInstances(request.instances, signature, 'instances'),
};

export function kserveRoutingField(request: KserveRequest, field: string): string | undefined {
  const v = request.parameters?.[field];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
