import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ROLES, type Principal, type Role } from '../../auth/index.js';
import { UnavailableError } from '../../core/index.js';
import type { GyreConfig } from '../../config/index.js';

type OidcConfig = GyreConfig['auth']['oidc'];

/** Verifies JWTs from the configured issuer and maps a claim to a Gyre role. */
export interface OidcVerifier {
  /** The principal a valid token stands for; undefined when it is invalid or maps to no role. */
  verify(jwt: string): Promise<Principal | undefined>;
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const url = new URL(
    '.well-known/openid-configuration',
    issuer.endsWith('/') ? issuer : `${issuer}/`,
  );
  const response = await fetch(url);
  if (!response.ok) throw new Error(`OIDC discovery at ${url} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: string };
  if (!document.jwks_uri) throw new Error(`OIDC discovery at ${url} names no jwks_uri`);
  return new URL(document.jwks_uri);
}

function parseRoleMap(text: string | undefined): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of (text ?? '').split(',')) {
    const [value, role] = pair.split('=').map((s) => s.trim());
    if (value && role) map.set(value, role as Role);
  }
  return map;
}

/** The highest role any of the claim's values maps to, else the default. */
function roleOf(
  payload: JWTPayload,
  config: OidcConfig,
  roleMap: Map<string, Role>,
): Role | undefined {
  const claim = payload[config.roleClaim];
  const values = Array.isArray(claim)
    ? claim.map(String)
    : claim === undefined
      ? []
      : [String(claim)];
  const mapped = values.map((v) => roleMap.get(v)).filter((r): r is Role => r !== undefined);
  if (mapped.length > 0) return mapped.sort((a, b) => ROLES.indexOf(b) - ROLES.indexOf(a))[0];
  return config.defaultRole === 'none' ? undefined : config.defaultRole;
}

export function createOidcVerifier(config: OidcConfig): OidcVerifier | undefined {
  const issuer = config.issuer;
  if (!issuer) return undefined;
  const roleMap = parseRoleMap(config.roleMap);
  // The key set is fetched on first use and cached by jose (refetched for unknown key ids).
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  return {
    async verify(jwt) {
      if (!keys) {
        const uri = config.jwksUri
          ? new URL(config.jwksUri)
          : await discoverJwksUri(issuer).catch((error: unknown) => {
              throw new UnavailableError(
                `the identity provider ${issuer} cannot be reached: ${(error as Error).message}`,
              );
            });
        keys = createRemoteJWKSet(uri);
      }
      try {
        const { payload } = await jwtVerify(jwt, keys, {
          issuer,
          ...(config.audience ? { audience: config.audience } : {}),
        });
        const role = roleOf(payload, config, roleMap);
        if (!role || !payload.sub) return undefined;
        return { name: `oidc:${payload.sub}`, role, via: 'oidc' };
      } catch {
        return undefined;
      }
    },
  };
}
