import { createHash } from 'node:crypto';

const MAX = 63;

/**
 * A Gyre name as a Kubernetes object name (an RFC 1035 label: lower-case letters, digits and
 * `-`, starting with a letter, at most 63 characters). A name that had to change gets a short
 * hash of the original, so `Fraud_A` and `fraud-a` never render to the same objects.
 */
export function kubernetesName(name: string, prefix = ''): string {
  let base = `${prefix}${name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(base)) base = `g-${base}`;
  const changed = base !== `${prefix}${name}`;
  if (!changed && base.length <= MAX) return base;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${base.slice(0, MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** A label value: at most 63 characters of `[A-Za-z0-9_.-]`, alphanumeric at both ends. */
export function labelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, MAX)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned;
}
