// Test-only (excluded from the build): checks rendered Kubernetes objects offline, as an
// apiserver with strict field validation would — the schema of kubernetes-models 4.5.1 (types,
// required fields, enums, patterns) plus unknown fields against @kubernetes/client-node's
// models — and the CRD kinds Gyre renders (ServiceMonitor, Argo) by hand-written checks.
import * as k8s from '@kubernetes/client-node';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ConfigMap,
  Container,
  Namespace,
  PersistentVolumeClaim,
  Pod,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import { checkArgoObject } from './test-argo-schema.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const KINDS: Record<string, [ModelClass, string]> = {
  'apps/v1 Deployment': [Deployment as unknown as ModelClass, 'V1Deployment'],
  'apps/v1 StatefulSet': [StatefulSet as unknown as ModelClass, 'V1StatefulSet'],
  'v1 Service': [Service as unknown as ModelClass, 'V1Service'],
  'v1 ConfigMap': [ConfigMap as unknown as ModelClass, 'V1ConfigMap'],
  'v1 Secret': [Secret as unknown as ModelClass, 'V1Secret'],
  'v1 Namespace': [Namespace as unknown as ModelClass, 'V1Namespace'],
  'v1 Pod': [Pod as unknown as ModelClass, 'V1Pod'],
  'v1 PersistentVolumeClaim': [
    PersistentVolumeClaim as unknown as ModelClass,
    'V1PersistentVolumeClaim',
  ],
  'v1 ServiceAccount': [ServiceAccount as unknown as ModelClass, 'V1ServiceAccount'],
  'autoscaling/v2 HorizontalPodAutoscaler': [
    HorizontalPodAutoscaler as unknown as ModelClass,
    'V2HorizontalPodAutoscaler',
  ],
  'policy/v1 PodDisruptionBudget': [
    PodDisruptionBudget as unknown as ModelClass,
    'V1PodDisruptionBudget',
  ],
  'networking.k8s.io/v1 NetworkPolicy': [NetworkPolicy as unknown as ModelClass, 'V1NetworkPolicy'],
  'networking.k8s.io/v1 Ingress': [Ingress as unknown as ModelClass, 'V1Ingress'],
  'batch/v1 Job': [Job as unknown as ModelClass, 'V1Job'],
  'batch/v1 CronJob': [CronJob as unknown as ModelClass, 'V1CronJob'],
  'rbac.authorization.k8s.io/v1 Role': [Role as unknown as ModelClass, 'V1Role'],
  'rbac.authorization.k8s.io/v1 RoleBinding': [
    RoleBinding as unknown as ModelClass,
    'V1RoleBinding',
  ],
  'rbac.authorization.k8s.io/v1 ClusterRole': [
    ClusterRole as unknown as ModelClass,
    'V1ClusterRole',
  ],
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': [
    ClusterRoleBinding as unknown as ModelClass,
    'V1ClusterRoleBinding',
  ],
};

interface Attribute {
  baseName: string;
  type: string;
}
type ClientModel = { getAttributeTypeMap?: () => Attribute[] };
const models = k8s as unknown as Record<string, ClientModel | undefined>;

/** Fields the apiserver would drop or refuse as unknown, with their paths. */
function unknownFields(value: unknown, type: string, path: string, found: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value))
      value.forEach((v, i) => unknownFields(v, array[1], `${path}[${i}]`, found));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    for (const [k, v] of Object.entries(value as object))
      unknownFields(v, map[1], `${path}.${k}`, found);
    return;
  }
  const attributes = models[type]?.getAttributeTypeMap?.();
  if (!attributes || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value as object)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) found.push(`${path}.${key}`);
    else unknownFields(v, attribute.type, `${path}.${key}`, found);
  }
}

const DURATION =
  /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/** The parts of the Prometheus Operator's ServiceMonitor CRD (v1) Gyre uses, checked by hand. */
function checkServiceMonitor(o: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const spec = o.spec as Record<string, unknown> | undefined;
  if (!spec) return ['spec is required'];
  const allowedSpec = [
    'selector',
    'endpoints',
    'namespaceSelector',
    'jobLabel',
    'targetLabels',
    'podTargetLabels',
    'sampleLimit',
  ];
  for (const key of Object.keys(spec))
    if (!allowedSpec.includes(key)) problems.push(`spec.${key}: unknown field`);
  const selector = spec.selector as Record<string, unknown> | undefined;
  if (!selector || typeof selector !== 'object') problems.push('spec.selector is required');
  else unknownFields(selector, 'V1LabelSelector', 'spec.selector', problems);
  const ns = spec.namespaceSelector as Record<string, unknown> | undefined;
  if (ns !== undefined) {
    for (const key of Object.keys(ns))
      if (!['any', 'matchNames'].includes(key))
        problems.push(`spec.namespaceSelector.${key}: unknown field`);
    if (
      ns.matchNames !== undefined &&
      !(Array.isArray(ns.matchNames) && ns.matchNames.every((n) => typeof n === 'string'))
    )
      problems.push('spec.namespaceSelector.matchNames must be a list of strings');
  }
  const endpoints = spec.endpoints;
  if (!Array.isArray(endpoints)) problems.push('spec.endpoints must be a list');
  else
    endpoints.forEach((e: Record<string, unknown>, i) => {
      const at = `spec.endpoints[${i}]`;
      const allowed = [
        'port',
        'targetPort',
        'path',
        'scheme',
        'interval',
        'scrapeTimeout',
        'honorLabels',
        'relabelings',
        'metricRelabelings',
        'params',
      ];
      for (const key of Object.keys(e))
        if (!allowed.includes(key)) problems.push(`${at}.${key}: unknown field`);
      if (e.port !== undefined && typeof e.port !== 'string')
        problems.push(`${at}.port must be a port name (string)`);
      if (e.path !== undefined && (typeof e.path !== 'string' || !e.path.startsWith('/')))
        problems.push(`${at}.path must be an absolute path`);
      if (e.scheme !== undefined && !['http', 'https', 'HTTP', 'HTTPS'].includes(String(e.scheme)))
        problems.push(`${at}.scheme must be http or https`);
      for (const d of ['interval', 'scrapeTimeout'])
        if (e[d] !== undefined && !(typeof e[d] === 'string' && DURATION.test(e[d] as string)))
          problems.push(`${at}.${d} must be a Prometheus duration`);
    });
  return problems;
}

/**
 * Throws listing every problem of one object: schema violations, unknown fields, a missing
 * name, a kind this checker does not know.
 */
export function validateKubernetesObject(object: unknown): void {
  const o = object as Record<string, unknown>;
  const id = `${String(o?.apiVersion)} ${String(o?.kind)}`;
  const name = (o?.metadata as { name?: unknown } | undefined)?.name;
  const where = `${id} ${typeof name === 'string' ? name : '<no name>'}`;
  if (
    typeof name !== 'string' ||
    !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) ||
    name.length > 253
  )
    throw new Error(`${where}: metadata.name must be a DNS subdomain name`);
  let problems: string[];
  if (id === 'monitoring.coreos.com/v1 ServiceMonitor') problems = checkServiceMonitor(o);
  else if (String(o.apiVersion) === 'argoproj.io/v1alpha1')
    problems = checkArgoObject(o, (value, type, path) => {
      const found: string[] = [];
      unknownFields(value, type, path, found);
      const issues = found.map((f) => `${f}: unknown field`);
      if (type === 'V1Container')
        try {
          new Container(value as never).validate();
        } catch (error) {
          issues.push(`${path}: ${(error as Error).message}`);
        }
      return issues;
    });
  else {
    const known = KINDS[id];
    if (!known) throw new Error(`${where}: no schema known for this kind`);
    const [Model, clientType] = known;
    problems = [];
    try {
      new Model(o as never).validate();
    } catch (error) {
      problems.push((error as Error).message);
    }
    unknownFields(o, clientType, '', problems);
    problems = problems.map((p) => (p.startsWith('.') ? `${p.slice(1)}: unknown field` : p));
  }
  if (problems.length > 0) throw new Error(`${where}:\n  ${problems.join('\n  ')}`);
}

/** Validates each object; returns `kind/name` of each, in order. */
export function validateKubernetesObjects(objects: readonly unknown[]): string[] {
  return objects.map((o) => {
    validateKubernetesObject(o);
    const r = o as { kind: string; metadata: { name: string } };
    return `${r.kind}/${r.metadata.name}`;
  });
}
