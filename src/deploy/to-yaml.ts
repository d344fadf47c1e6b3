import { stringify } from 'yaml';
import type { KubernetesObject } from './kubernetes-object.js';

/**
 * Kubernetes objects as one multi-document YAML stream (`---` between documents), in the
 * order given — `kubectl apply -f -` and GitOps tools read it as is.
 */
export function toYaml(objects: readonly KubernetesObject[]): string {
  return objects
    .map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
