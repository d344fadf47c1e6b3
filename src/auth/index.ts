// Who may do what: API tokens (hashed at rest), roles and per-resource grants in MLflow's
// terms, and the append-only audit log. The HTTP layer authenticates; this decides.
export {
  PERMISSIONS,
  RESOURCE_TYPES,
  ROLES,
  parsePermission,
  parseRole,
  permissionOfRole,
  satisfies,
  type Permission,
  type Principal,
  type ResourceRef,
  type ResourceType,
  type Role,
} from './access.js';
export { AccessControl } from './access-control.js';
export { createAuthServices, type AuthServices } from './auth-services.js';
export type { AuditEntry, AuditLog, AuditQuery, NewAuditEntry } from './audit-log.js';
export type { Grant } from './grant-store.js';
export { looksLikeGyreToken } from './token-secret.js';
export { TokenService, parseDuration, type CreateTokenInput } from './token-service.js';
export type { TokenInfo } from './token-store.js';
