// `gyre deployments render`: a Gyre deployment as Kubernetes manifests, every object checked
// offline against the Kubernetes schemas (kubernetes-models 4.5.1 + unknown fields) and the
// ServiceMonitor CRD shape; then the same through the REST route, the SDK and the CLI.
import type { FastifyInstance } from 'fastify';
import { parseAllDocuments } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliOn } from '../src/cli/test-cli.js';
import {
  DEFAULT_RENDER_OPTIONS,
  kubernetesName,
  renderDeploymentManifests,
  toYaml,
  type KubernetesObject,
} from '../src/deploy/index.js';
import {
  validateKubernetesObject,
  validateKubernetesObjects,
} from '../src/deploy/test-kubernetes-schemas.js';
import { KyselyCursorStore } from '../src/events/index.js';
import { silentLogger } from '../src/core/index.js';
import { DeploymentsClient, HttpClient } from '../src/sdk/index.js';
import { buildApp } from '../src/server/index.js';
import { createModelServer, type Deployment, type ResolvedRoute } from '../src/serving/index.js';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';

const route = (role: ResolvedRoute['role'], version: number, weight: number): ResolvedRoute => ({
  model: `models:/housing/${version}`,
  role,
  weight,
  name: 'housing',
  version,
  storePath: `models/housing/${version}`,
  key: `housing/${version}`,
  flavor: 'gyre',
});

const canary: Deployment = {
  name: 'housing',
  createdAt: 1,
  updatedAt: 2,
  current: {
    deployment: 'housing',
    revision: 3,
    spec: {
      mode: 'canary',
      routes: [
        { model: 'models:/housing/1', role: 'primary', weight: 90 },
        { model: 'models:/housing/2', role: 'candidate', weight: 10 },
      ],
      unknownCategory: 'ignore',
    },
    routes: [route('primary', 1, 90), route('candidate', 2, 10)],
    action: 'deploy',
    createdBy: 'ana',
    createdAt: 2,
  },
};

/** Rendered objects read loosely: every field a tree (tests only look). */
interface Tree {
  [key: string]: Tree;
}

const byKind = (objects: KubernetesObject[], kind: string) => {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} among ${objects.map((o) => o.kind).join(', ')}`);
  return found as KubernetesObject & { spec: Tree };
};

describe('renderDeploymentManifests', () => {
  it('renders a canary deployment under an HPA as valid, restricted objects', () => {
    const objects = renderDeploymentManifests(canary, { namespace: 'ml' });
    expect(validateKubernetesObjects(objects)).toEqual([
      'Deployment/gyre-model-housing',
      'Service/gyre-model-housing',
      'HorizontalPodAutoscaler/gyre-model-housing',
      'PodDisruptionBudget/gyre-model-housing',
      'NetworkPolicy/gyre-model-housing',
      'ServiceMonitor/gyre-model-housing',
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBe('ml');

    const deployment = byKind(objects, 'Deployment');
    // The HPA owns the size: no replicas field to fight it on the next apply.
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.metadata.annotations).toMatchObject({
      'gyre.dev/revision': '3',
      'gyre.dev/routes': 'primary=housing/1@90,candidate=housing/2@10',
    });
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = pod.containers as unknown as Tree[];
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.args).toEqual(
      expect.arrayContaining(['serve', '--deployment', 'housing', '--workers', '1']),
    );
    expect(container.image).toBe(DEFAULT_RENDER_OPTIONS.image);
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/v2/health/ready' } });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/v2/health/ready' } });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/v2/health/live' } });
    // The routes are not in the pod template: a canary weight change restarts no pod.
    expect(JSON.stringify(deployment.spec.template)).not.toContain('housing/2');

    const hpa = byKind(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'gyre-model-housing' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu' } },
        {
          type: 'Pods',
          pods: {
            metric: { name: 'gyre_inference_requests_per_second' },
            target: { type: 'AverageValue', averageValue: '100' },
          },
        },
      ],
    });
    const service = byKind(objects, 'Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(byKind(objects, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 });
    const policy = byKind(objects, 'NetworkPolicy');
    expect(policy.spec).toMatchObject({
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  it('fixes the size without an HPA when min equals max, and can leave out the ServiceMonitor', () => {
    const objects = renderDeploymentManifests(canary, {
      minReplicas: 3,
      maxReplicas: 3,
      serviceMonitor: false,
      targetRequestsPerSecond: 0,
    });
    validateKubernetesObjects(objects);
    expect(objects.map((o) => o.kind)).toEqual([
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]);
    expect(byKind(objects, 'Deployment').spec).toMatchObject({ replicas: 3 });
  });

  it('turns any deployment name into distinct Kubernetes names', () => {
    const names = ['Fraud_A', 'fraud-a', '9lives', 'x'.repeat(128)].map((n) =>
      kubernetesName(n, 'gyre-model-'),
    );
    for (const n of names) expect(n).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(new Set(names).size).toBe(names.length);
    const objects = renderDeploymentManifests({ ...canary, name: 'Fraud_A' });
    validateKubernetesObjects(objects);
    expect(byKind(objects, 'Deployment').spec.template.spec).toMatchObject({
      containers: [{ args: expect.arrayContaining(['Fraud_A']) }],
    });
  });

  it('refuses options Kubernetes would refuse, naming the field', () => {
    expect(() => renderDeploymentManifests(canary, { image: 'gyre:latest' })).toThrow(/image/);
    expect(() => renderDeploymentManifests(canary, { image: 'gyre' })).toThrow(/image/);
    expect(() => renderDeploymentManifests(canary, { minReplicas: 5, maxReplicas: 2 })).toThrow(
      /maxReplicas/,
    );
    expect(() => renderDeploymentManifests(canary, { namespace: 'Bad_NS' })).toThrow(/namespace/);
    expect(() =>
      renderDeploymentManifests(canary, {
        resources: { requests: { cpu: 'lots', memory: '1Gi' }, limits: { memory: '1Gi' } },
      }),
    ).toThrow(/resources.requests.cpu/);
  });

  it('writes YAML that reads back to the same objects', () => {
    const objects = renderDeploymentManifests(canary);
    const docs = parseAllDocuments(toYaml(objects)).map((d) => d.toJSON() as unknown);
    expect(docs).toEqual(objects);
  });

  it('has a validator that fails on what an apiserver would refuse', () => {
    const [deployment] = renderDeploymentManifests(canary) as [KubernetesObject & { spec: never }];
    const broken = structuredClone(deployment) as { spec: Record<string, unknown> };
    broken.spec.replica = 2;
    expect(() => validateKubernetesObject(broken)).toThrow(/spec.replica: unknown field/);
    const wrongType = structuredClone(deployment) as { spec: Record<string, unknown> };
    wrongType.spec.replicas = '2';
    expect(() => validateKubernetesObject(wrongType)).toThrow(/replicas/);
    const monitor = renderDeploymentManifests(canary).at(-1) as unknown as {
      spec: { endpoints: object[] };
    };
    monitor.spec.endpoints[0] = { port: 'http', interval: 'often' };
    expect(() => validateKubernetesObject(monitor)).toThrow(/interval/);
  });
});

const model = trainHousingGbdt({ rounds: 3, rows: 500 });

describeEachGyre('deployment manifests through the API, SDK and CLI', (ctx) => {
  let app: FastifyInstance;
  let client: DeploymentsClient;
  beforeEach(async () => {
    app = await buildApp(ctx.gyre, { version: '0.0.0-test' });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    client = new DeploymentsClient(new HttpClient({ baseUrl: url }));
    for (let i = 0; i < 2; i++) await registerModel(ctx.gyre, 'housing', model);
    await client.deploy('housing', { model: 'housing/1' });
    await client.deploy('housing', { model: 'housing/2', canary: 20 });
  });
  afterEach(() => app.close());

  it('renders a stored deployment with overrides over the configured defaults', async () => {
    const rendered = await client.render('housing', {
      namespace: 'models',
      minReplicas: 3,
      maxReplicas: 12,
      targetRps: 250,
      memoryLimit: '2Gi',
      allowFromNamespace: ['web', 'batch'],
    });
    expect(rendered).toMatchObject({ deployment: 'housing', revision: 2 });
    validateKubernetesObjects(rendered.objects);
    expect(parseAllDocuments(rendered.yaml).map((d) => d.toJSON() as unknown)).toEqual(
      rendered.objects,
    );
    const hpa = byKind(rendered.objects as KubernetesObject[], 'HorizontalPodAutoscaler');
    expect(hpa.metadata.namespace).toBe('models');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
    expect(JSON.stringify(hpa.spec)).toContain('"averageValue":"250"');
    const policy = byKind(rendered.objects as KubernetesObject[], 'NetworkPolicy');
    expect(JSON.stringify(policy.spec)).toContain('"kubernetes.io/metadata.name":"batch"');
    const deployment = byKind(rendered.objects as KubernetesObject[], 'Deployment');
    expect(deployment.metadata.annotations).toMatchObject({ 'gyre.dev/mode': 'canary' });

    const fixed = await client.render('housing', {
      minReplicas: 2,
      maxReplicas: 2,
      serviceMonitor: false,
    });
    expect(fixed.objects.map((o) => o.kind)).not.toContain('HorizontalPodAutoscaler');
  });

  it('answers a missing deployment with 404 and bad options with 400 naming the field', async () => {
    await expect(client.render('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.render('housing', { image: 'gyre:latest' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('image'),
    });
    await expect(
      client.render('housing', { minReplicas: 4, maxReplicas: 1 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('maxReplicas'),
    });
  });

  it('serves only its own deployment in a pod (gyre serve --deployment)', async () => {
    await client.deploy('other', { model: 'housing/1' });
    const cursors = new KyselyCursorStore(ctx.gyre.db);
    const server = createModelServer({
      deployments: ctx.gyre.serving.deployments,
      loader: ctx.gyre.serving.loader,
      events: ctx.gyre.events,
      latestEventId: () => cursors.latestEventId(),
      deployment: 'housing',
      pollIntervalMs: 50,
      logger: silentLogger,
    });
    await server.start();
    try {
      expect(server.table('housing')).toBeDefined();
      expect(server.table('other')).toBeUndefined();
      await client.deploy('other', { model: 'housing/2' });
      await server.sync();
      expect(server.table('other')).toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it('prints the YAML with gyre deployments render, which kubectl-style tools read', async () => {
    const run = await runCliOn(ctx.gyre, 'deployments', 'render', 'housing', '--replicas', '2');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJSON() as KubernetesObject);
    validateKubernetesObjects(docs);
    expect(docs.map((d) => d.kind)).toEqual([
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'NetworkPolicy',
      'ServiceMonitor',
    ]);
    const bad = await runCliOn(ctx.gyre, 'deployments', 'render', 'housing', '--replicas', 'many');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--replicas');
  });
});
