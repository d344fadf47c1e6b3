import { InvalidArgumentError, NotFoundError, systemClock, type Clock } from '../core/index.js';
import { parseRole, type Principal, type Role } from './access.js';
import { mintToken, parseToken, sameDigest } from './token-secret.js';
import type { TokenInfo, TokenStore } from './token-store.js';

export interface CreateTokenInput {
  name: string;
  role: Role | string;
  /** Lifetime in milliseconds; forever when omitted. */
  expiresInMs?: number;
  createdBy: string;
}

// Verified tokens are remembered briefly so a busy client costs one hash, not a query, per
// request; a revocation elsewhere takes effect within this window.
const CACHE_MS = 5_000;
// last_used_at is a hint for humans; writing it on every request would turn reads into writes.
const MARK_USED_EVERY_MS = 60_000;

/** API tokens: created once (the secret is shown then and never again), listed, revoked. */
export class TokenService {
  private readonly cache = new Map<
    string,
    { token: TokenInfo & { secretSha256: string }; at: number }
  >();

  constructor(
    private readonly store: TokenStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(input: CreateTokenInput): Promise<{ token: string; info: TokenInfo }> {
    const name = input.name.trim();
    if (!/^[\w.@-]{1,64}$/.test(name))
      throw new InvalidArgumentError(
        `invalid token name ${JSON.stringify(input.name)}: 1 to 64 letters, digits, '.', '_', '@' or '-'`,
        { field: 'name' },
      );
    if (input.expiresInMs !== undefined && !(input.expiresInMs > 0))
      throw new InvalidArgumentError('expiry must be in the future', { field: 'expires' });
    const minted = mintToken();
    const now = this.clock.now();
    const stored = {
      id: minted.id,
      name,
      role: parseRole(input.role),
      secretSha256: minted.secretSha256,
      createdBy: input.createdBy,
      createdAt: now,
      ...(input.expiresInMs === undefined ? {} : { expiresAt: now + input.expiresInMs }),
    };
    await this.store.insert(stored);
    const { secretSha256: _secret, ...info } = stored;
    return { token: minted.token, info };
  }

  list(): Promise<TokenInfo[]> {
    return this.store.list();
  }

  /** Revokes by id or name; revoking twice is a no-op. */
  async revoke(idOrName: string): Promise<TokenInfo> {
    const token = (await this.store.get(idOrName)) ?? (await this.store.getByName(idOrName));
    if (!token) throw new NotFoundError(`no token ${idOrName}`, { token: idOrName });
    await this.store.revoke(token.id, this.clock.now());
    this.cache.delete(token.id);
    const { secretSha256: _secret, ...info } = (await this.store.get(token.id))!;
    return info;
  }

  hasAdmin(): Promise<boolean> {
    return this.store.hasAdmin(this.clock.now());
  }

  /** The principal a token stands for, or undefined when it is unknown, revoked or expired. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const now = this.clock.now();
    let cached = this.cache.get(parsed.id);
    if (!cached || now - cached.at > CACHE_MS) {
      const stored = await this.store.get(parsed.id);
      if (!stored) return undefined;
      cached = { token: stored, at: now };
      this.cache.set(parsed.id, cached);
    }
    const stored = cached.token;
    if (!sameDigest(stored.secretSha256, parsed.secretSha256)) return undefined;
    if (stored.revokedAt !== undefined) return undefined;
    if (stored.expiresAt !== undefined && stored.expiresAt <= now) return undefined;
    if (stored.lastUsedAt === undefined || now - stored.lastUsedAt > MARK_USED_EVERY_MS) {
      stored.lastUsedAt = now;
      await this.store.markUsed(stored.id, now);
    }
    return { name: `token:${stored.name}`, role: stored.role, via: 'token' };
  }
}

/** Parses a lifetime such as `30d`, `12h`, `45m` or `3600s` into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d|w)$/.exec(text.trim());
  if (!match)
    throw new InvalidArgumentError(
      `invalid duration ${JSON.stringify(text)}: use a number and a unit, e.g. 30d, 12h, 45m`,
      { field: 'expires' },
    );
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
    match[2] as 's' | 'm' | 'h' | 'd' | 'w'
  ];
  return Number(match[1]) * unit;
}
