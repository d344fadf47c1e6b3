import type { FastifyRequest } from 'fastify';
import type { ResourceRef } from '../../auth/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { RouteAccess } from './route-access.js';

type Bag = Record<string, unknown>;

/** The first string among a request's path params, query and JSON body under these names. */
export function pick(request: FastifyRequest, names: string[]): string | undefined {
  const bags = [request.params, request.query, request.body].filter(
    (b): b is Bag => typeof b === 'object' && b !== null && !Array.isArray(b),
  );
  for (const bag of bags) {
    for (const name of names) {
      const value = bag[name];
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
    }
  }
  return undefined;
}

// The MLflow artifact proxy names the experiment as the first path segment.
const PROXY_PATH = /^\/(?:api|ajax-api)\/2\.0\/mlflow-artifacts\/artifacts\/(\d+)\//;

/**
 * The experiment or registered model a request touches, for routes that declare one, so a
 * per-resource grant can be checked. A run counts as its experiment. Undefined when the
 * request does not name one (the role alone decides then).
 */
export async function resourceOf(
  request: FastifyRequest,
  access: RouteAccess,
  tracking: TrackingService,
): Promise<ResourceRef | undefined> {
  switch (access.resource) {
    case 'experiment': {
      const id =
        pick(request, ['experimentId', 'experiment_id']) ?? PROXY_PATH.exec(request.url)?.[1];
      return id === undefined ? undefined : { type: 'experiment', id };
    }
    case 'run': {
      const runId = pick(request, ['runId', 'run_id', 'run_uuid']);
      if (runId === undefined) return undefined;
      const summary = await tracking.runs.get(runId).catch(() => undefined);
      return summary ? { type: 'experiment', id: summary.info.experimentId } : undefined;
    }
    case 'registered_model': {
      const name = pick(request, ['name']);
      return name === undefined ? undefined : { type: 'registered_model', id: name };
    }
    default:
      return undefined;
  }
}

/** What a mutation touched, as the audit log names it: `run:<id>`, `model:fraud/3`, ... */
export function auditTarget(request: FastifyRequest): string {
  const run = pick(request, ['runId', 'run_id', 'run_uuid']);
  if (run) return `run:${run}`;
  const experiment =
    pick(request, ['experimentId', 'experiment_id']) ?? PROXY_PATH.exec(request.url)?.[1];
  if (experiment) return `experiment:${experiment}`;
  const name = pick(request, ['name']);
  const version = pick(request, ['version']);
  if (name) return version ? `${name}/${version}` : name;
  const params = Object.entries((request.params ?? {}) as Record<string, unknown>);
  return params.map(([k, v]) => `${k}=${String(v)}`).join(',') || '-';
}
