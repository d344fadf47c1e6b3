import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../../core/index.js';
import type { Database } from '../../db/index.js';

/** The table this store owns (created by db/migrations/0012-gitops.ts). */
export type GitOpsTables = {
  deployment_gitops_commits: {
    deployment: string;
    revision: number;
    commit_sha: string;
    repository: string;
    path: string;
    branch: string | null;
    committed_by: string;
    pushed: number;
    created_at: number;
  };
};

/** A deployment revision written to a GitOps repository. */
export interface GitOpsCommitRecord {
  deployment: string;
  revision: number;
  commitSha: string;
  /** The repository's remote URL (origin), else its directory name. */
  repository: string;
  /** Directory in the repository holding the manifests. */
  path: string;
  branch?: string;
  committedBy: string;
  pushed: boolean;
  createdAt: number;
}

export interface GitOpsCommitStore {
  record(commit: Omit<GitOpsCommitRecord, 'createdAt'>): Promise<GitOpsCommitRecord>;
  /** A deployment's commits, newest first. */
  list(deployment: string, limit?: number): Promise<GitOpsCommitRecord[]>;
}

export class KyselyGitOpsCommitStore implements GitOpsCommitStore {
  private readonly kysely: Kysely<GitOpsTables>;

  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.kysely = db.kysely.withTables<GitOpsTables>() as unknown as Kysely<GitOpsTables>;
  }

  async record(commit: Omit<GitOpsCommitRecord, 'createdAt'>): Promise<GitOpsCommitRecord> {
    const createdAt = this.clock.now();
    await this.kysely
      .insertInto('deployment_gitops_commits')
      .values({
        deployment: commit.deployment,
        revision: commit.revision,
        commit_sha: commit.commitSha,
        repository: commit.repository,
        path: commit.path,
        branch: commit.branch ?? null,
        committed_by: commit.committedBy,
        pushed: commit.pushed ? 1 : 0,
        created_at: createdAt,
      })
      // The same commit recorded again (a retried apply) is one link.
      .onConflict((oc) => oc.columns(['deployment', 'revision', 'commit_sha']).doNothing())
      .execute();
    return { ...commit, createdAt };
  }

  async list(deployment: string, limit = 100): Promise<GitOpsCommitRecord[]> {
    const rows = await this.kysely
      .selectFrom('deployment_gitops_commits')
      .selectAll()
      .where('deployment', '=', deployment)
      .orderBy('created_at', 'desc')
      .orderBy('revision', 'desc')
      .limit(Math.min(Math.max(limit, 1), 1000))
      .execute();
    return rows.map((r) => ({
      deployment: r.deployment,
      revision: Number(r.revision),
      commitSha: r.commit_sha,
      repository: r.repository,
      path: r.path,
      ...(r.branch ? { branch: r.branch } : {}),
      committedBy: r.committed_by,
      pushed: Number(r.pushed) === 1,
      createdAt: Number(r.created_at),
    }));
  }
}
