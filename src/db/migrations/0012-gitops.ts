import type { Kysely } from 'kysely';

/**
 * GitOps commits (issue 18): each row links a deployment revision to the commit that wrote its
 * rendered manifests into a GitOps repository, so a deployment's history shows what Argo CD
 * applied. Revisions stay immutable; a revision written to several repositories (or again
 * after a manual revert) has several rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deployment_gitops_commits')
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('commit_sha', 'text', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('branch', 'text')
    .addColumn('committed_by', 'text', (c) => c.notNull())
    .addColumn('pushed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('deployment_gitops_commits_pk', [
      'deployment',
      'revision',
      'commit_sha',
    ])
    .execute();
  await db.schema
    .createIndex('deployment_gitops_commits_by_time')
    .on('deployment_gitops_commits')
    .columns(['deployment', 'created_at'])
    .execute();
}
