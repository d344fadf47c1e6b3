// KServe's v1 protocol: GET /v1/models/{name}, POST /v1/models/{name}:predict with
// {"instances": [...]} answered by {"predictions": [...]}; errors {"error": "..."}.
import { badRequest, type BatchDecoder } from '../../../serving/index.js';
import { batchFromInstances } from './tabular-decoding.js';
import { parseJsonObject } from './json-object.js';

export interface KserveRequest {
  instances: unknown;
  parameters?: Record<string, unknown>;
}

export function parseKserveRequest(text: string): KserveRequest {
  const b = parseJsonObject(text, 'an object with instances');
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
