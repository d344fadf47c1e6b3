// `gyre deployments apply <name> --gitops <repo-dir>`: a deployment revision rendered as
// Kubernetes manifests, written into a GitOps repository as one directory (a kustomization
// Argo CD's overlay includes) and committed with the revision's author and reason; the commit
// is then linked to the revision so the deployment's history shows what was applied.
import { NotFoundError } from '../../core/index.js';
import type { Deployment, DeploymentRevision, DeploymentService } from '../../serving/index.js';
import type { GitOpsCommitRecord, GitOpsCommitStore } from './gitops-store.js';
import { writeToGitOps, type GitOpsWriteResult } from './gitops-writer.js';

/** A rendered Kubernetes object, as far as the writer needs to name its file. */
export interface RenderedObject {
  kind: string;
  metadata?: { name?: string };
}

/** Renders a deployment (its `current` revision) as objects, and objects as YAML. */
export interface ManifestRenderer<T extends RenderedObject = RenderedObject> {
  render(deployment: Deployment): T[];
  toYaml(objects: T[]): string;
}

export interface GitOpsApplyRequest {
  deployment: string;
  /** The revision to write (default: the current one). */
  revision?: number;
  repoDir: string;
  /** Directory in the repository (default `deployments/<name>`). */
  path?: string;
  push?: boolean;
}

export interface GitOpsApplyResult extends GitOpsWriteResult {
  deployment: string;
  revision: number;
  files: string[];
  record?: GitOpsCommitRecord;
}

/** A commit author from a Gyre user name: `alice@example.com`, or `alice <alice@gyre.invalid>`. */
export function authorOf(createdBy: string): { name: string; email: string } {
  const name = createdBy.trim() || 'unknown';
  if (/^[^\s<>@]+@[^\s<>@]+$/.test(name)) return { name: name.split('@')[0], email: name };
  const local = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'user';
  return { name: name.replace(/[<>\n]/g, ''), email: `${local}@gyre.invalid` };
}

function describeRoutes(revision: DeploymentRevision): string {
  return revision.routes
    .map((r) => {
      const model =
        r.name !== undefined && r.version !== undefined ? `${r.name}/${r.version}` : r.model;
      return r.role === 'primary' && revision.routes.length === 1
        ? model
        : `${r.role} ${model}${r.role === 'shadow' ? '' : ` ${r.weight}%`}`;
    })
    .join(', ');
}

/** The commit message: what changed in the subject, the reason in the body, trailers last. */
export function commitMessage(name: string, revision: DeploymentRevision): string {
  const subject = `deploy ${name}: revision ${revision.revision} (${revision.action}, ${describeRoutes(revision)})`;
  const trailers = [
    `Gyre-Deployment: ${name}`,
    `Gyre-Revision: ${revision.revision}`,
    `Gyre-Mode: ${revision.spec.mode}`,
  ];
  return [subject, '', ...(revision.reason ? [revision.reason, ''] : []), ...trailers].join('\n');
}

/** File names for a deployment's objects: one per kind, plus the kustomization listing them. */
export function manifestFiles<T extends RenderedObject>(
  objects: T[],
  toYaml: (objects: T[]) => string,
): Record<string, string> {
  const files: Record<string, string> = {};
  const used = new Map<string, number>();
  for (const object of objects) {
    const base = object.kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    files[`${n === 1 ? base : `${base}-${n}`}.yaml`] = toYaml([object]);
  }
  const resources = Object.keys(files);
  files['kustomization.yaml'] = [
    '# Written by `gyre deployments apply --gitops`; edit the deployment in Gyre, not here.',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    ...resources.map((r) => `  - ${r}`),
    '',
  ].join('\n');
  return files;
}

export class GitOpsService<T extends RenderedObject = RenderedObject> {
  constructor(
    private readonly deps: {
      deployments: DeploymentService;
      renderer: ManifestRenderer<T>;
      commits: GitOpsCommitStore;
    },
  ) {}

  async apply(request: GitOpsApplyRequest): Promise<GitOpsApplyResult> {
    const deployment = await this.deps.deployments.get(request.deployment);
    let revision = deployment.current;
    if (request.revision !== undefined && request.revision !== revision.revision) {
      const found = (await this.deps.deployments.history(deployment.name)).find(
        (r) => r.revision === request.revision,
      );
      if (!found)
        throw new NotFoundError(
          `deployment ${deployment.name} has no revision ${request.revision}`,
          { deployment: deployment.name, revision: request.revision },
        );
      revision = found;
    }
    const objects = this.deps.renderer.render({ ...deployment, current: revision });
    const files = manifestFiles(objects, (o) => this.deps.renderer.toYaml(o));
    const path = request.path ?? `deployments/${deployment.name}`;
    const written = await writeToGitOps({
      repoDir: request.repoDir,
      path,
      files,
      author: authorOf(revision.createdBy),
      message: commitMessage(deployment.name, revision),
      push: request.push,
    });
    const result: GitOpsApplyResult = {
      ...written,
      deployment: deployment.name,
      revision: revision.revision,
      files: Object.keys(files).sort(),
    };
    if (written.sha) {
      result.record = await this.deps.commits.record({
        deployment: deployment.name,
        revision: revision.revision,
        commitSha: written.sha,
        repository: written.repository,
        path: written.path,
        ...(written.branch ? { branch: written.branch } : {}),
        committedBy: revision.createdBy,
        pushed: written.pushed,
      });
    }
    return result;
  }

  /** The commits that carried a deployment's revisions, newest first. */
  async commits(deployment: string, limit?: number): Promise<GitOpsCommitRecord[]> {
    return this.deps.commits.list(deployment, limit);
  }
}
