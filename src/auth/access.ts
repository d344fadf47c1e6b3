import { InvalidArgumentError } from '../core/index.js';

/** What a token may do everywhere: viewers read, editors also write, admins also manage. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * MLflow's permission levels, in increasing order. A route needs one; a principal has one
 * from its role, and possibly a higher one on a single experiment or registered model.
 */
export const PERMISSIONS = ['READ', 'EDIT', 'MANAGE'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSION: Record<Role, Permission> = {
  viewer: 'READ',
  editor: 'EDIT',
  admin: 'MANAGE',
};

export function permissionOfRole(role: Role): Permission {
  return ROLE_PERMISSION[role];
}

/** True when `held` is at least `needed` (READ < EDIT < MANAGE). */
export function satisfies(held: Permission, needed: Permission): boolean {
  return PERMISSIONS.indexOf(held) >= PERMISSIONS.indexOf(needed);
}

/** Resources that can carry their own grants, as MLflow's permission API names them. */
export const RESOURCE_TYPES = ['experiment', 'registered_model'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface ResourceRef {
  type: ResourceType;
  /** An experiment id, or a registered model name. */
  id: string;
}

export function parseRole(value: string): Role {
  if ((ROLES as readonly string[]).includes(value)) return value as Role;
  throw new InvalidArgumentError(`invalid role ${JSON.stringify(value)}: use ${ROLES.join(', ')}`, {
    field: 'role',
  });
}

export function parsePermission(value: string): Permission {
  const upper = value.toUpperCase();
  if ((PERMISSIONS as readonly string[]).includes(upper)) return upper as Permission;
  throw new InvalidArgumentError(
    `invalid permission ${JSON.stringify(value)}: use ${PERMISSIONS.join(', ')}`,
    { field: 'permission' },
  );
}

/** Who is asking: a token, an OIDC subject, or the local user when auth is off. */
export interface Principal {
  /** Stable name used in grants and the audit log, e.g. `token:ci` or `oidc:alice@corp`. */
  name: string;
  role: Role;
  /** How the principal proved itself. */
  via: 'token' | 'oidc' | 'local';
}
