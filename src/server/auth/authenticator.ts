import { looksLikeGyreToken, type Principal, type TokenService } from '../../auth/index.js';
import { UnauthenticatedError } from '../../core/index.js';
import { parseCredentials } from './credentials.js';
import type { OidcVerifier } from './oidc-verifier.js';

/**
 * Turns an `Authorization` header into a principal: a Gyre API token (Bearer, or Basic with
 * the token as password) or, when an OIDC issuer is configured, a JWT it signed. Undefined
 * without a header; UNAUTHENTICATED for credentials that do not check out — bogus credentials
 * are never ignored.
 */
export class Authenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly oidc: OidcVerifier | undefined,
  ) {}

  async authenticate(header: string | undefined): Promise<Principal | undefined> {
    const credentials = parseCredentials(header);
    if (!credentials) return undefined;
    const secret =
      credentials.scheme === 'bearer'
        ? credentials.token
        : credentials.scheme === 'basic'
          ? credentials.password
          : undefined;
    if (secret === undefined)
      throw new UnauthenticatedError('unsupported Authorization scheme: use Bearer or Basic');
    const principal = looksLikeGyreToken(secret)
      ? await this.tokens.authenticate(secret)
      : credentials.scheme === 'bearer' && this.oidc
        ? await this.oidc.verify(secret)
        : undefined;
    if (!principal)
      throw new UnauthenticatedError('invalid, expired or revoked credentials', {
        scheme: credentials.scheme,
      });
    return principal;
  }
}
