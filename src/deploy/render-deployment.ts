import type {
  V1Container,
  V1Deployment,
  V1NetworkPolicy,
  V1NetworkPolicySpec,
  V1PodDisruptionBudget,
  V1Probe,
  V1Service,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
} from '@kubernetes/client-node';
import type { Deployment } from '../serving/index.js';
import { kubernetesName, labelValue } from './kubernetes-name.js';
import { MANAGED_BY, type KubernetesObject } from './kubernetes-object.js';
import { restrictedContainerSecurity, restrictedPodSecurity } from './pod-security.js';
import { resolveRenderOptions, type KubernetesRenderOptions } from './render-options.js';

/**
 * The per-pod metric prometheus-adapter serves from `gyre_inference_requests_total` (the
 * adapter rule in docs/kubernetes.md turns `<name>_total` into `<name>_per_second`).
 */
export const REQUESTS_PER_SECOND_METRIC = 'gyre_inference_requests_per_second';

const MODEL_SERVER = 'model-server';

type Typed<T> = T & KubernetesObject;

const probe = (path: string, periodSeconds: number, failureThreshold: number): V1Probe => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  timeoutSeconds: 2,
  failureThreshold,
});

/**
 * Renders one Gyre deployment as the Kubernetes objects that serve it: a Deployment of model
 * servers, a Service, a HorizontalPodAutoscaler (CPU and requests/s) unless the size is fixed,
 * a PodDisruptionBudget, a NetworkPolicy and — when asked — a Prometheus Operator
 * ServiceMonitor.
 *
 * Every pod is a whole Gyre router for the deployment: it loads each route's model and splits
 * canary and A/B traffic itself, following revisions from the database. So the manifests do
 * not change when a weight moves or a version is promoted (no pod restarts, nothing for GitOps
 * to sync); the pinned versions are recorded in annotations of the Deployment only.
 */
export function renderDeploymentManifests(
  deployment: Deployment,
  options: Partial<KubernetesRenderOptions> = {},
): KubernetesObject[] {
  const o = resolveRenderOptions(options);
  const name = kubernetesName(deployment.name, 'gyre-model-');
  const selector = {
    'app.kubernetes.io/name': 'gyre-model-server',
    'app.kubernetes.io/instance': labelValue(name),
  };
  const labels = {
    ...selector,
    'app.kubernetes.io/component': MODEL_SERVER,
    'app.kubernetes.io/part-of': 'gyre',
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'gyre.dev/deployment': labelValue(deployment.name),
  };
  const metadata = { name, namespace: o.namespace, labels };
  const autoscaled = o.maxReplicas > o.minReplicas;
  const { current } = deployment;

  const container: V1Container = {
    name: MODEL_SERVER,
    image: o.image,
    imagePullPolicy: o.imagePullPolicy,
    args: [
      'serve',
      '--deployment',
      deployment.name,
      '--host',
      '0.0.0.0',
      '--port',
      String(o.port),
      // One process per pod: the autoscaler adds pods, not workers.
      '--workers',
      '1',
    ],
    ports: [{ name: 'http', containerPort: o.port, protocol: 'TCP' }],
    env: [
      { name: 'GYRE_HOME', value: '/var/lib/gyre' },
      { name: 'TMPDIR', value: '/tmp' },
    ],
    envFrom: [
      ...(o.envConfigMap ? [{ configMapRef: { name: o.envConfigMap, optional: true } }] : []),
      ...(o.envSecret ? [{ secretRef: { name: o.envSecret } }] : []),
    ],
    resources: {
      requests: { ...o.resources.requests },
      limits: { ...o.resources.limits },
    },
    // Ready once every route's model is loaded; given 5 minutes for large models to load.
    startupProbe: probe('/v2/health/ready', 5, 60),
    readinessProbe: probe('/v2/health/ready', 5, 2),
    livenessProbe: probe('/v2/health/live', 10, 3),
    securityContext: restrictedContainerSecurity(),
    volumeMounts: [
      { name: 'home', mountPath: '/var/lib/gyre' },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };

  const kubeDeployment: Typed<V1Deployment> = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      ...metadata,
      annotations: {
        // Informational: changing these never restarts pods (they are not in the template).
        'gyre.dev/revision': String(current.revision),
        'gyre.dev/mode': current.spec.mode,
        'gyre.dev/routes': current.routes
          .map(
            (r) =>
              `${r.role}=${r.version !== undefined ? `${r.name}/${r.version}` : r.key}@${r.weight}`,
          )
          .join(','),
      },
    },
    spec: {
      // An autoscaler owns the size: a replicas field here would fight it on every apply.
      ...(autoscaled ? {} : { replicas: o.minReplicas }),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      // New pods become ready before old ones go: a rollout drops no requests.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels },
        spec: {
          ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurity(),
          terminationGracePeriodSeconds: 30,
          containers: [container],
          volumes: [
            { name: 'home', emptyDir: { sizeLimit: '2Gi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
          ],
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            },
          ],
        },
      },
    },
  };

  const service: Typed<V1Service> = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };

  const objects: KubernetesObject[] = [kubeDeployment, service];

  if (autoscaled) {
    const metrics: V2MetricSpec[] = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: o.targetCpuUtilization },
        },
      },
    ];
    if (o.targetRequestsPerSecond > 0)
      metrics.push({
        type: 'Pods',
        pods: {
          metric: { name: REQUESTS_PER_SECOND_METRIC },
          target: { type: 'AverageValue', averageValue: String(o.targetRequestsPerSecond) },
        },
      });
    const hpa: Typed<V2HorizontalPodAutoscaler> = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: o.minReplicas,
        maxReplicas: o.maxReplicas,
        metrics,
        behavior: {
          // Traffic bursts scale up at once; scaling down waits out five quiet minutes.
          scaleUp: { stabilizationWindowSeconds: 0 },
          scaleDown: {
            stabilizationWindowSeconds: 300,
            policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
          },
        },
      },
    };
    objects.push(hpa);
  }

  const pdb: Typed<V1PodDisruptionBudget> = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata,
    // One pod at a time may be evicted, whatever the size: a node drain never takes them all,
    // and a one-pod deployment can still be drained.
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  };
  objects.push(pdb);

  const sameNamespace = { podSelector: {} };
  const fromNamespace = (ns: string) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
  });
  // Typed loosely: the client's model names the `from` field `_from`, the API calls it `from`.
  const policy: KubernetesObject & Omit<V1NetworkPolicy, 'spec'> = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata,
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'] satisfies V1NetworkPolicySpec['policyTypes'],
      ingress: [
        {
          from: [
            sameNamespace,
            ...o.allowFromNamespaces.map(fromNamespace),
            ...(o.monitoringNamespace ? [fromNamespace(o.monitoringNamespace)] : []),
          ],
          ports: [{ port: o.port, protocol: 'TCP' }],
        },
      ],
    },
  };
  objects.push(policy);

  if (o.serviceMonitor)
    objects.push({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata,
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [o.namespace] },
        endpoints: [{ port: 'http', path: '/metrics', interval: '15s', scheme: 'http' }],
      },
    });
  return objects;
}
