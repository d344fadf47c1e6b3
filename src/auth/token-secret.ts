import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// `gyre_<id>.<secret>`: the id finds the row, the 256-bit secret proves possession. Only the
// secret's SHA-256 is stored, so a copy of the database grants nothing.
const TOKEN = /^gyre_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

export interface MintedToken {
  id: string;
  /** The whole token, shown to its creator once. */
  token: string;
  secretSha256: string;
}

export function mintToken(): MintedToken {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `gyre_${id}.${secret}`, secretSha256: sha256(secret) };
}

/** The id and secret hash of a well-formed token; undefined for anything else. */
export function parseToken(token: string): { id: string; secretSha256: string } | undefined {
  const match = TOKEN.exec(token);
  return match ? { id: match[1], secretSha256: sha256(match[2]) } : undefined;
}

export function looksLikeGyreToken(value: string): boolean {
  return value.startsWith('gyre_');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
