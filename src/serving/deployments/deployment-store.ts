import type {
  Deployment,
  DeploymentRevision,
  DeploymentSpec,
  ResolvedRoute,
  RevisionAction,
} from './deployment-types.js';

export interface NewRevision {
  spec: DeploymentSpec;
  routes: ResolvedRoute[];
  action: RevisionAction;
  createdBy: string;
  reason?: string;
}

/**
 * Persistence of deployments and their revision history. Each write appends a revision and
 * its `deployment.revised` event in one transaction, so servers see exactly the committed
 * revisions.
 */
export interface DeploymentStore {
  /**
   * Appends the next revision and makes it current. With `expectRevision`, fails with
   * FailedPreconditionError when another writer moved the deployment first (0: must not exist).
   */
  appendRevision(
    name: string,
    revision: NewRevision,
    now: number,
    expectRevision?: number,
  ): Promise<Deployment>;
  get(name: string): Promise<Deployment | undefined>;
  list(): Promise<Deployment[]>;
  /** Every revision, newest first. */
  history(name: string): Promise<DeploymentRevision[]>;
  getRevision(name: string, revision: number): Promise<DeploymentRevision | undefined>;
  /** Deletes the deployment with its history; false when there was none. */
  delete(name: string, now: number): Promise<boolean>;
}
