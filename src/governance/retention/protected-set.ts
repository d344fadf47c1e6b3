import { isGyreError } from '../../core/index.js';
import type { DataServices } from '../../data/index.js';
import type { MonitoringService } from '../../monitoring/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { DeploymentService } from '../../serving/index.js';

/** Everything reachable by lineage from what serves now; retention never deletes any of it. */
export interface ProtectedSet {
  /** `name/version` of every model a live deployment routes to (canaries and shadows too). */
  models: Set<string>;
  runs: Set<string>;
  /** `name@version` of dataset versions upstream of those models or used as monitor references. */
  datasetVersions: Set<string>;
  /** Store paths (prefixes) of model files and protected dataset versions. */
  paths: Set<string>;
}

export interface ProtectedSetDeps {
  deployments: DeploymentService;
  registry: RegistryService;
  data: DataServices;
  monitoring: MonitoringService;
}

const notFound = (error: unknown) => isGyreError(error) && error.code === 'NOT_FOUND';

/** Walks lineage up from every live deployment's models and every monitor's reference. */
export async function protectedSet(deps: ProtectedSetDeps): Promise<ProtectedSet> {
  const set: ProtectedSet = {
    models: new Set(),
    runs: new Set(),
    datasetVersions: new Set(),
    paths: new Set(),
  };
  const walk = async (kind: 'model_version' | 'dataset', id: string) => {
    const graph = await deps.data.lineage.graph(kind, id, 'up');
    for (const node of graph.nodes) {
      if (node.kind === 'run') set.runs.add(node.id.slice('run:'.length));
      if (node.kind === 'dataset') set.datasetVersions.add(node.label);
      if (node.kind === 'model_version') set.models.add(node.label.replace('@', '/'));
    }
  };
  for (const deployment of await deps.deployments.list()) {
    for (const route of deployment.current.routes) {
      set.models.add(route.key);
      set.paths.add(route.storePath);
      if (route.name === undefined || route.version === undefined) continue;
      const version = await deps.registry.getVersion(route.name, route.version).catch((e) => {
        if (notFound(e)) return undefined;
        throw e;
      });
      if (version?.runId) set.runs.add(version.runId);
      await walk('model_version', `${route.name}@${route.version}`);
    }
  }
  for (const monitor of await deps.monitoring.listMonitors()) {
    const reference = monitor.spec.reference;
    if (!('dataset' in reference)) continue;
    const version = await deps.data.datasets.getVersion(reference.dataset).catch((e) => {
      if (notFound(e)) return undefined;
      throw e;
    });
    if (version) await walk('dataset', `${version.datasetName}@${version.version}`);
  }
  for (const ref of set.datasetVersions) {
    const version = await deps.data.datasets.getVersion(ref).catch(() => undefined);
    if (version?.artifactPath) set.paths.add(version.artifactPath);
  }
  return set;
}

/** True when `path` and a protected path are the same, or one holds the other. */
export function overlapsProtected(path: string, paths: Iterable<string>): boolean {
  const norm = (p: string) => p.replace(/\/+$/, '');
  const a = norm(path);
  for (const p of paths) {
    const b = norm(p);
    if (a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`)) return true;
  }
  return false;
}
