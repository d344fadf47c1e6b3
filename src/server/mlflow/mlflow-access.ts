import type { RouteAccess } from '../auth/route-access.js';

type Entry = RouteAccess & { audit?: false };

const read = (resource?: RouteAccess['resource']): Entry =>
  resource ? { permission: 'READ', resource } : { permission: 'READ' };
const edit = (resource?: RouteAccess['resource']): Entry =>
  resource ? { permission: 'EDIT', resource } : { permission: 'EDIT' };
// Run telemetry: high volume, the run itself is audited when created, updated or deleted.
const telemetry: Entry = { permission: 'EDIT', resource: 'run', audit: false };

/**
 * The permission every MLflow endpoint needs, by path (relative to /api/2.0/mlflow), and the
 * experiment, run or registered model it names — MLflow's own permission model. An endpoint
 * missing here cannot be registered.
 */
const MLFLOW_ACCESS: Record<string, Entry> = {
  '/experiments/create': edit(),
  '/experiments/search': read(),
  '/experiments/list': read(),
  '/experiments/get': read('experiment'),
  '/experiments/get-by-name': read(),
  '/experiments/update': edit('experiment'),
  '/experiments/delete': edit('experiment'),
  '/experiments/restore': edit('experiment'),
  '/experiments/set-experiment-tag': edit('experiment'),
  '/experiments/delete-experiment-tag': edit('experiment'),
  '/runs/create': edit('experiment'),
  '/runs/search': read(),
  '/runs/get': read('run'),
  '/runs/update': edit('run'),
  '/runs/delete': edit('run'),
  '/runs/restore': edit('run'),
  '/runs/log-metric': telemetry,
  '/runs/log-parameter': telemetry,
  '/runs/log-batch': telemetry,
  '/runs/set-tag': telemetry,
  '/runs/delete-tag': edit('run'),
  '/runs/log-inputs': edit('run'),
  '/runs/log-model': edit('run'),
  '/metrics/get-history': read('run'),
  '/artifacts/list': read('run'),
  '/registered-models/create': edit(),
  '/registered-models/search': read(),
  '/registered-models/get': read('registered_model'),
  '/registered-models/get-latest-versions': read('registered_model'),
  '/registered-models/update': edit('registered_model'),
  '/registered-models/rename': edit('registered_model'),
  '/registered-models/delete': edit('registered_model'),
  '/registered-models/set-tag': edit('registered_model'),
  '/registered-models/delete-tag': edit('registered_model'),
  '/registered-models/alias': edit('registered_model'),
  '/model-versions/create': edit('registered_model'),
  '/model-versions/search': read(),
  '/model-versions/get': read('registered_model'),
  '/model-versions/get-download-uri': read('registered_model'),
  '/model-versions/update': edit('registered_model'),
  '/model-versions/delete': edit('registered_model'),
  '/model-versions/set-tag': edit('registered_model'),
  '/model-versions/delete-tag': edit('registered_model'),
  '/model-versions/transition-stage': edit('registered_model'),
};

/** The route config of an MLflow endpoint; reads (GET) of a write path need only READ. */
export function mlflowRouteConfig(
  method: string,
  path: string,
): { access: RouteAccess; audit?: false } {
  const entry = MLFLOW_ACCESS[path];
  if (!entry) throw new Error(`MLflow endpoint ${path} has no entry in MLFLOW_ACCESS`);
  const { audit, ...access } = entry;
  if (method === 'GET' && access.permission !== 'READ')
    return { access: { ...access, permission: 'READ' } };
  return audit === false ? { access, audit } : { access };
}
