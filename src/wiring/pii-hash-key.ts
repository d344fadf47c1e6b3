import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key PII is hashed with in the prediction log: the configured one, else a random key
 * made once and kept beside the database (`<home>/pii-hash.key`, readable by its owner only),
 * so hashes stay joinable across restarts. Processes that do not share a home (a cluster)
 * must be given the same key in configuration.
 */
export function piiHashKey(configured: string | undefined, home: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = join(home, 'pii-hash.key');
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(home, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/** `fraud=drop,prices=hash` → { fraud: 'drop', prices: 'hash' }. */
export function deploymentPolicies(
  text: string | undefined,
): Record<string, 'hash' | 'drop' | 'keep'> {
  const out: Record<string, 'hash' | 'drop' | 'keep'> = {};
  for (const pair of (text ?? '').split(',')) {
    const [name, policy] = pair.split('=').map((s) => s.trim());
    if (name && (policy === 'hash' || policy === 'drop' || policy === 'keep')) out[name] = policy;
  }
  return out;
}
