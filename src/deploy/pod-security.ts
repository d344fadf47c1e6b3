import type { V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';

/** The uid and gid the Gyre image runs as (the Dockerfile's `gyre` user). */
export const GYRE_UID = 10001;

/** Pod-level settings the `restricted` Pod Security Standard asks for. */
export function restrictedPodSecurity(): V1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: GYRE_UID,
    runAsGroup: GYRE_UID,
    fsGroup: GYRE_UID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level settings of `restricted`, plus a read-only root file system. */
export function restrictedContainerSecurity(): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
