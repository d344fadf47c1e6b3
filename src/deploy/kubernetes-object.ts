import type { V1ObjectMeta } from '@kubernetes/client-node';

/**
 * One Kubernetes object as plain data, ready to serialize: what every renderer in this folder
 * returns and what a GitOps writer commits. Type-only use of the client's models keeps the
 * Kubernetes client out of the CLI's start-up.
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string };
  [field: string]: unknown;
}

/** The labels every object Gyre renders carries (the recommended `app.kubernetes.io` set). */
export const MANAGED_BY = 'gyre';
