import { InvalidArgumentError } from '../core/index.js';

/** Requests and limits of the model-server container, in Kubernetes quantities. */
export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}

/** How a Gyre deployment becomes Kubernetes objects. */
export interface KubernetesRenderOptions {
  namespace: string;
  /** The Gyre image (the same one runs the API, model servers and pipeline steps). */
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /** Service account the model-server pods run as (IRSA / Workload Identity bind to it). */
  serviceAccountName?: string;
  /** Secret with Gyre's environment: GYRE_DATABASE_URL, GYRE_ARTIFACT_ROOT, S3 credentials. */
  envSecret?: string;
  /** ConfigMap with the non-secret environment (log level, prediction-log settings). */
  envConfigMap?: string;
  /** Pods at least and at most; equal numbers mean a fixed size and no autoscaler. */
  minReplicas: number;
  maxReplicas: number;
  /** Average CPU use, in percent of the request, the autoscaler aims at. */
  targetCpuUtilization: number;
  /** Inference requests per second per pod the autoscaler aims at (via prometheus-adapter); 0: CPU only. */
  targetRequestsPerSecond: number;
  resources: ContainerResources;
  /** Port the model server listens on inside the pod and the Service exposes. */
  port: number;
  /** Namespaces (besides the deployment's own) whose pods may call the model server. */
  allowFromNamespaces: string[];
  /** Namespace Prometheus scrapes from; its pods may reach /metrics. */
  monitoringNamespace: string;
  /** Render a ServiceMonitor (only where the Prometheus Operator's CRD is installed). */
  serviceMonitor: boolean;
}

export const DEFAULT_RENDER_OPTIONS: KubernetesRenderOptions = {
  namespace: 'gyre',
  image: 'ghcr.io/gyre-mlops/gyre:0.1.0',
  imagePullPolicy: 'IfNotPresent',
  envSecret: 'gyre-env',
  minReplicas: 2,
  maxReplicas: 10,
  targetCpuUtilization: 70,
  targetRequestsPerSecond: 100,
  resources: {
    requests: { cpu: '500m', memory: '512Mi' },
    limits: { memory: '1Gi' },
  },
  port: 8080,
  allowFromNamespaces: [],
  monitoringNamespace: 'monitoring',
  serviceMonitor: true,
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/;
// An image reference: [registry/]path[:tag][@digest], no whitespace.
const IMAGE = /^[a-z0-9][a-z0-9._\-/:]*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

const invalid = (field: string, message: string) =>
  new InvalidArgumentError(`${field}: ${message}`, { field });

const whole = (value: number, field: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(field, `must be a whole number from ${min} to ${max}, got ${value}`);
};

/** Defaults under what was given, checked; throws InvalidArgumentError naming the field. */
export function resolveRenderOptions(
  given: Partial<KubernetesRenderOptions> = {},
): KubernetesRenderOptions {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const o = { ...DEFAULT_RENDER_OPTIONS, ...defined } as KubernetesRenderOptions;
  if (!DNS_LABEL.test(o.namespace) || o.namespace.length > 63)
    throw invalid('namespace', `${JSON.stringify(o.namespace)} is not a namespace name`);
  if (!IMAGE.test(o.image)) throw invalid('image', `${JSON.stringify(o.image)} is not an image`);
  if (o.image.endsWith(':latest') || !/[:@]/.test(o.image.split('/').pop() ?? ''))
    throw invalid('image', 'pin a tag or digest (not latest) so every pod runs the same code');
  whole(o.minReplicas, 'minReplicas', 1, 1000);
  whole(o.maxReplicas, 'maxReplicas', 1, 1000);
  if (o.maxReplicas < o.minReplicas)
    throw invalid('maxReplicas', `must be at least minReplicas (${o.minReplicas})`);
  whole(o.targetCpuUtilization, 'targetCpuUtilization', 1, 100);
  whole(o.targetRequestsPerSecond, 'targetRequestsPerSecond', 0, 1_000_000);
  whole(o.port, 'port', 1024, 65535);
  for (const [field, value] of [
    ['resources.requests.cpu', o.resources.requests.cpu],
    ['resources.requests.memory', o.resources.requests.memory],
    ['resources.limits.cpu', o.resources.limits.cpu],
    ['resources.limits.memory', o.resources.limits.memory],
  ] as const)
    if (value !== undefined && !QUANTITY.test(value))
      throw invalid(field, `${JSON.stringify(value)} is not a Kubernetes quantity`);
  for (const [field, value] of [
    ['serviceAccountName', o.serviceAccountName],
    ['envSecret', o.envSecret],
    ['envConfigMap', o.envConfigMap],
    ['monitoringNamespace', o.monitoringNamespace],
    ...o.allowFromNamespaces.map((n, i) => [`allowFromNamespaces[${i}]`, n] as const),
  ] as const)
    if (value !== undefined && value !== '' && !DNS_LABEL.test(value))
      throw invalid(field, `${JSON.stringify(value)} is not a Kubernetes name`);
  return o;
}
