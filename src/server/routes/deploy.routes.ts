import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DeploymentManifests, KubernetesObject } from '../../deploy/index.js';
import { access } from '../auth/route-access.js';

const count = (what: string) => z.coerce.number().int().min(0).optional().describe(what);
const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/)
  .optional();

const renderQuery = z.object({
  namespace: z.string().optional().describe('namespace (default from kubernetes.namespace)'),
  image: z.string().optional().describe('Gyre image, a pinned tag or digest'),
  serviceAccount: z.string().optional(),
  envSecret: z.string().optional().describe("Secret holding Gyre's environment"),
  minReplicas: count('autoscaler minimum (default 2); equal to maxReplicas: no autoscaler'),
  maxReplicas: count('autoscaler maximum (default 10)'),
  targetCpu: count('average CPU use in percent the autoscaler aims at (default 70)'),
  targetRps: count('requests/s per pod the autoscaler aims at (default 100; 0: CPU only)'),
  cpu: quantity.describe('CPU request per pod (default 500m)'),
  memory: quantity.describe('memory request per pod (default 512Mi)'),
  memoryLimit: quantity.describe('memory limit per pod (default 1Gi)'),
  allowFromNamespace: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('other namespaces whose pods may call the model'),
  serviceMonitor: z
    .enum(['true', 'false'])
    .optional()
    .describe('render a ServiceMonitor (default true)'),
});

const manifests = z.object({
  deployment: z.string(),
  revision: z
    .number()
    .int()
    .describe('the revision rendered (informational: pods follow revisions)'),
  objects: z
    .array(z.record(z.string(), z.unknown()))
    .describe('Kubernetes objects, in apply order'),
  yaml: z.string().describe('the objects as one multi-document YAML stream'),
});

/** Kubernetes manifests of Gyre's objects under /api/v1/deployments/{name}/manifests. */
export function deployRoutes(rendered: DeploymentManifests): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/deployments/:name/manifests',
      {
        config: access('READ'),
        schema: {
          tags: ['deployments'],
          summary:
            'Render a deployment as Kubernetes manifests (Deployment, Service, HPA, PodDisruptionBudget, NetworkPolicy, ServiceMonitor); nothing is applied',
          params: z.object({ name: z.string() }),
          querystring: renderQuery,
          response: { 200: manifests },
        },
      },
      async (request) => {
        const q = request.query;
        const defaults = rendered.options();
        const allow = q.allowFromNamespace;
        const result = await rendered.render(request.params.name, {
          namespace: q.namespace,
          image: q.image,
          serviceAccountName: q.serviceAccount,
          envSecret: q.envSecret,
          minReplicas: q.minReplicas,
          maxReplicas: q.maxReplicas,
          targetCpuUtilization: q.targetCpu,
          targetRequestsPerSecond: q.targetRps,
          resources: {
            requests: {
              cpu: q.cpu ?? defaults.resources.requests.cpu,
              memory: q.memory ?? defaults.resources.requests.memory,
            },
            limits: {
              ...defaults.resources.limits,
              memory: q.memoryLimit ?? defaults.resources.limits.memory,
            },
          },
          allowFromNamespaces: allow === undefined ? undefined : [allow].flat(),
          serviceMonitor: q.serviceMonitor === undefined ? undefined : q.serviceMonitor === 'true',
        });
        return {
          ...result,
          objects: result.objects as (KubernetesObject & Record<string, unknown>)[],
        };
      },
    );
  };
}
