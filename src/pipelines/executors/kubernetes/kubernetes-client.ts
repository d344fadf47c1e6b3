import type { BatchV1Api, CoreV1Api, Log, Watch } from '@kubernetes/client-node';

/** Where the executor finds the cluster. */
export interface KubernetesConnection {
  /** A kubeconfig file; without it: in-cluster credentials, else the default kubeconfig. */
  kubeconfig?: string;
  /** An API server URL reached without credentials (tests' in-process API double). */
  server?: string;
}

/** The parts of the Kubernetes client the executor uses. */
export interface KubernetesClients {
  batch: BatchV1Api;
  core: CoreV1Api;
  watch: Watch;
  log: Log;
}

/**
 * Loads the Kubernetes client on first use (it is large; a CLI command that never runs a step
 * on Kubernetes never pays for it) and builds the API clients.
 */
export async function connectKubernetes(
  connection: KubernetesConnection,
): Promise<KubernetesClients> {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  if (connection.server)
    config.loadFromOptions({
      // Plain http to a local stand-in; the client refuses http unless TLS checks are off.
      clusters: [{ name: 'gyre', server: connection.server, skipTLSVerify: true }],
      users: [{ name: 'gyre' }],
      contexts: [{ name: 'gyre', cluster: 'gyre', user: 'gyre' }],
      currentContext: 'gyre',
    });
  else if (connection.kubeconfig) config.loadFromFile(connection.kubeconfig);
  else config.loadFromDefault();
  return {
    batch: config.makeApiClient(k8s.BatchV1Api),
    core: config.makeApiClient(k8s.CoreV1Api),
    watch: new k8s.Watch(config),
    log: new k8s.Log(config),
  };
}

/** The HTTP status of a client error (ApiException `code`, or a watch error's `statusCode`). */
export function statusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | null;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}
