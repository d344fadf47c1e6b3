import { systemClock, type Clock } from '../core/index.js';
import type { Database } from '../db/index.js';
import { AccessControl } from './access-control.js';
import { KyselyAuditLog, type AuditLog } from './audit-log.js';
import { KyselyGrantStore } from './grant-store.js';
import { KyselyTokenStore } from './token-store.js';
import { TokenService } from './token-service.js';

/** Tokens, permissions and the audit log, built once by the composition root. */
export interface AuthServices {
  tokens: TokenService;
  access: AccessControl;
  audit: AuditLog;
}

export function createAuthServices(db: Database, clock: Clock = systemClock): AuthServices {
  return {
    tokens: new TokenService(new KyselyTokenStore(db), clock),
    access: new AccessControl(new KyselyGrantStore(db), clock),
    audit: new KyselyAuditLog(db),
  };
}
