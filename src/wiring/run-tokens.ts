import { randomBytes } from 'node:crypto';
import type { TokenService } from '../auth/index.js';
import type { Logger } from '../core/index.js';
import type { ApiEndpoint } from '../pipelines/index.js';

// A run outlives no day; the token dies with it either way (revoked on release).
const RUN_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * With auth on, each pipeline run's lease on the API carries a token of its own (role
 * editor: steps log runs and register models, they do not manage access), revoked when the
 * run lets go of the lease. `run` steps get it as GYRE_TOKEN and MLFLOW_TRACKING_TOKEN.
 */
export function withRunTokens(
  endpoint: ApiEndpoint,
  tokens: TokenService,
  logger: Logger,
): ApiEndpoint {
  return {
    async acquire() {
      const lease = await endpoint.acquire();
      let minted: Awaited<ReturnType<TokenService['create']>>;
      try {
        minted = await tokens.create({
          name: `pipeline-run-${randomBytes(6).toString('hex')}`,
          role: 'editor',
          expiresInMs: RUN_TOKEN_LIFETIME_MS,
          createdBy: 'pipelines',
        });
      } catch (error) {
        await lease.release();
        throw error;
      }
      return {
        url: lease.url,
        token: minted.token,
        release: async () => {
          // Not fatal: the token expires within a day anyway.
          await tokens
            .revoke(minted.info.id)
            .catch((error: unknown) =>
              logger.warn({ err: error, token: minted.info.name }, 'could not revoke a run token'),
            );
          await lease.release();
        },
      };
    },
  };
}
