// The platform manifests: each Kustomize overlay built with `kubectl kustomize` and every
// object validated against the Kubernetes schemas; the Helm chart checked structurally (no
// helm binary or Go template engine here): values against values.schema.json, every
// .Values reference against values.yaml, the conventions the chart promises.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '../src/deploy/index.js';
import { validateKubernetesObjects } from '../src/deploy/test-kubernetes-schemas.js';
import { REPO_ROOT } from './fixtures/data-files.js';

interface Tree {
  [key: string]: Tree;
}
type Obj = KubernetesObject & { spec: Tree; data?: Record<string, string> };

const build = (overlay: string): Obj[] =>
  parseAllDocuments(
    execFileSync('kubectl', ['kustomize', join(REPO_ROOT, 'deploy/kustomize/overlays', overlay)], {
      encoding: 'utf8',
    }),
  ).map((d) => d.toJSON() as Obj);

const find = (objects: Obj[], kind: string, name?: string) => {
  const found = objects.find((o) => o.kind === kind && (!name || o.metadata.name.startsWith(name)));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
};

const containersOf = (o: Obj) => {
  const pod = o.spec.template.spec as unknown as {
    containers: Record<string, never>[];
    initContainers?: Record<string, never>[];
  };
  return [...pod.containers, ...(pod.initContainers ?? [])];
};

function expectRestricted(deployment: Obj): void {
  expect(deployment.spec.template.spec.securityContext).toMatchObject({
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  for (const c of containersOf(deployment)) {
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.image).toMatch(/:\d+\.\d+\.\d+$/);
  }
}

describe('kustomize overlays', () => {
  it('dev: one replica, SQLite on a PersistentVolumeClaim, every object valid', () => {
    const objects = build('dev');
    validateKubernetesObjects(objects);
    const deployment = find(objects, 'Deployment', 'gyre');
    expectRestricted(deployment);
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    const volumes = deployment.spec.template.spec.volumes as unknown as Record<string, unknown>[];
    expect(volumes.find((v) => v.name === 'home')).toEqual({
      name: 'home',
      persistentVolumeClaim: { claimName: 'gyre-home' },
    });
    expect(objects.map((o) => o.kind)).toContain('PersistentVolumeClaim');
    for (const o of objects.filter((x) => x.kind !== 'Namespace'))
      expect(o.metadata.namespace).toBe('gyre-dev');
    const config = find(objects, 'ConfigMap', 'gyre-config');
    expect(config.data).toMatchObject({
      GYRE_PIPELINES_EXECUTOR: 'kubernetes',
      GYRE_AUTH_ENABLED: 'true',
    });
    expect(config.data).not.toHaveProperty('GYRE_DATABASE_URL');
  });

  it('production: external PostgreSQL and S3 from Secrets, HPA-owned replicas, Ingress with TLS', () => {
    const objects = build('production');
    validateKubernetesObjects(objects);
    const deployment = find(objects, 'Deployment', 'gyre');
    expectRestricted(deployment);
    expect(deployment.spec).not.toHaveProperty('replicas');
    const [api] = containersOf(deployment) as unknown as { env: unknown[] }[];
    expect(api.env).toEqual(
      expect.arrayContaining([
        {
          name: 'GYRE_DATABASE_URL',
          valueFrom: { secretKeyRef: { name: 'gyre-env', key: 'GYRE_DATABASE_URL' } },
        },
        {
          name: 'GYRE_ARTIFACT_ROOT',
          valueFrom: { secretKeyRef: { name: 'gyre-env', key: 'GYRE_ARTIFACT_ROOT' } },
        },
      ]),
    );
    expect(find(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'gyre' },
      minReplicas: 3,
    });
    expect(find(objects, 'Ingress').spec).toMatchObject({
      tls: [{ hosts: ['gyre.example.com'], secretName: 'gyre-tls' }],
    });
    // Every replica may hold the scheduler; PostgreSQL's advisory lock picks one.
    expect(find(objects, 'ConfigMap', 'gyre-config').data).toMatchObject({
      GYRE_PIPELINES_SCHEDULER: 'true',
    });
    const role = find(objects, 'Role');
    expect(JSON.stringify(role)).toContain('"watch"');
  });
});

const chart = join(REPO_ROOT, 'deploy/helm/gyre');
const read = (path: string) => readFileSync(join(chart, path), 'utf8');
const templates = readdirSync(join(chart, 'templates')).map((f) => ({
  file: f,
  text: read(join('templates', f)),
}));

describe('Helm chart (structural: no helm binary on these machines)', () => {
  const values = parse(read('values.yaml')) as Record<string, unknown>;
  const validate = new Ajv({ allErrors: true }).compile(
    JSON.parse(read('values.schema.json')) as object,
  );

  it('has a valid Chart.yaml, NOTES.txt and documented values that pass values.schema.json', () => {
    expect(parse(read('Chart.yaml'))).toMatchObject({ apiVersion: 'v2', name: 'gyre' });
    expect(existsSync(join(chart, 'templates/NOTES.txt'))).toBe(true);
    expect(validate(values), JSON.stringify(validate.errors)).toBe(true);
    // Every top-level value carries a comment saying what it is for.
    const text = read('values.yaml');
    for (const key of Object.keys(values))
      expect(text, key).toMatch(
        new RegExp(`(#[^\\n]*\\n(#[^\\n]*\\n)*)${key}:|${key}:\\n\\s+# --`),
      );
  });

  it('refuses values the chart cannot use', () => {
    const bad = structuredClone(values) as Record<string, Record<string, unknown>>;
    bad.image.tag = 'latest';
    bad.pipelines.executor = 'airflow';
    bad.replicas = 3 as never;
    expect(validate(bad)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('\n');
    expect(paths).toContain('/image/tag');
    expect(paths).toContain('/pipelines/executor');
    expect(paths).toContain('additional properties');
  });

  it('refers only to values that exist', () => {
    const has = (path: string[]) => {
      let node: unknown = values;
      for (const part of path) {
        if (typeof node !== 'object' || node === null || !(part in node)) return false;
        node = (node as Record<string, unknown>)[part];
      }
      return true;
    };
    const missing: string[] = [];
    for (const { file, text } of templates)
      for (const m of text.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g))
        if (!has(m[1].split('.'))) missing.push(`${file}: .Values.${m[1]}`);
    expect(missing).toEqual([]);
  });

  it('balances its template blocks and keeps the conventions', () => {
    for (const { file, text } of templates) {
      const opens = text.match(/\{\{-?\s*(if|with|range|define)\b/g)?.length ?? 0;
      const ends = text.match(/\{\{-?\s*end\s*-?\}\}/g)?.length ?? 0;
      expect(ends, file).toBe(opens);
    }
    const deployment = templates.find((t) => t.file === 'deployment.yaml')!.text;
    expect(deployment).toContain(
      'checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}',
    );
    expect(deployment).toMatch(/if not \.Values\.autoscaling\.enabled \}\}\n\s+replicas:/);
    const monitor = templates.find((t) => t.file === 'servicemonitor.yaml')!.text;
    expect(monitor.split('\n')[0]).toContain(
      '.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"',
    );
    for (const { file, text } of templates.filter((t) => t.file.endsWith('.yaml')))
      expect(text, file).not.toMatch(/:latest\b/);
  });
});
