// The auth tables (db/migrations/0008-auth.ts), for `db.kysely.withTables<AuthTables>()`.
import type { Generated } from 'kysely';

export type AuthTables = {
  api_tokens: {
    id: string;
    name: string;
    role: string;
    secret_sha256: string;
    created_by: string;
    created_at: number;
    expires_at: number | null;
    last_used_at: number | null;
    revoked_at: number | null;
  };
  access_grants: {
    principal: string;
    resource_type: string;
    resource_id: string;
    permission: string;
    granted_by: string;
    granted_at: number;
  };
  audit_log: {
    id: Generated<number>;
    at: number;
    principal: string;
    action: string;
    target: string;
    outcome: string;
    request_id: string | null;
    summary: string;
  };
};
