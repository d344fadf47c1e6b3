import type { Kysely } from 'kysely';
import { AlreadyExistsError } from '../core/index.js';
import { isUniqueViolation, type Database } from '../db/index.js';
import type { Role } from './access.js';
import type { AuthTables } from './tables.js';

/** A token as listed: never its secret. */
export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: number;
  expiresAt?: number;
  lastUsedAt?: number;
  revokedAt?: number;
}

export interface StoredToken extends TokenInfo {
  secretSha256: string;
}

export interface TokenStore {
  insert(token: StoredToken): Promise<void>;
  get(id: string): Promise<StoredToken | undefined>;
  getByName(name: string): Promise<StoredToken | undefined>;
  list(): Promise<TokenInfo[]>;
  markUsed(id: string, at: number): Promise<void>;
  revoke(id: string, at: number): Promise<void>;
  /** Whether any unrevoked admin token exists (the server's start check). */
  hasAdmin(now: number): Promise<boolean>;
}

type Row = AuthTables['api_tokens'];

function fromRow(row: Row): StoredToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    secretSha256: row.secret_sha256,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    ...(row.expires_at === null ? {} : { expiresAt: Number(row.expires_at) }),
    ...(row.last_used_at === null ? {} : { lastUsedAt: Number(row.last_used_at) }),
    ...(row.revoked_at === null ? {} : { revokedAt: Number(row.revoked_at) }),
  };
}

export class KyselyTokenStore implements TokenStore {
  private readonly kysely: Kysely<AuthTables>;

  constructor(db: Database) {
    this.kysely = db.kysely.withTables<AuthTables>() as unknown as Kysely<AuthTables>;
  }

  async insert(token: StoredToken): Promise<void> {
    try {
      await this.kysely
        .insertInto('api_tokens')
        .values({
          id: token.id,
          name: token.name,
          role: token.role,
          secret_sha256: token.secretSha256,
          created_by: token.createdBy,
          created_at: token.createdAt,
          expires_at: token.expiresAt ?? null,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AlreadyExistsError(`a token named ${token.name} already exists`, {
          name: token.name,
        });
      throw error;
    }
  }

  async get(id: string): Promise<StoredToken | undefined> {
    const row = await this.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async getByName(name: string): Promise<StoredToken | undefined> {
    const row = await this.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .orderBy('created_at')
      .execute();
    return rows.map((row) => {
      const { secretSha256: _secret, ...info } = fromRow(row);
      return info;
    });
  }

  async markUsed(id: string, at: number): Promise<void> {
    await this.kysely
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .execute();
  }

  async revoke(id: string, at: number): Promise<void> {
    await this.kysely
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async hasAdmin(now: number): Promise<boolean> {
    const row = await this.kysely
      .selectFrom('api_tokens')
      .select('id')
      .where('role', '=', 'admin')
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    return row !== undefined;
  }
}
