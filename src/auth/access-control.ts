import { InvalidArgumentError, NotFoundError, systemClock, type Clock } from '../core/index.js';
import {
  parsePermission,
  permissionOfRole,
  satisfies,
  type Permission,
  type Principal,
  type ResourceRef,
} from './access.js';
import type { Grant, GrantStore } from './grant-store.js';

/**
 * Decides what a principal may do. Its role gives a permission everywhere (viewer READ,
 * editor EDIT, admin MANAGE); a grant can raise it on one experiment or registered model, as
 * MLflow's per-resource permissions do. Grants never lower what a role allows.
 */
export class AccessControl {
  constructor(
    private readonly grants: GrantStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async allows(principal: Principal, needed: Permission, resource?: ResourceRef): Promise<boolean> {
    if (satisfies(permissionOfRole(principal.role), needed)) return true;
    if (!resource) return false;
    const grant = await this.grants.get(principal.name, resource);
    return grant !== undefined && satisfies(grant.permission, needed);
  }

  async grant(input: {
    principal: string;
    resource: ResourceRef;
    permission: string;
    grantedBy: string;
  }): Promise<Grant> {
    if (!/^(token|oidc):\S{1,200}$/.test(input.principal))
      throw new InvalidArgumentError(
        `invalid principal ${JSON.stringify(input.principal)}: use token:<name> or oidc:<subject>`,
        { field: 'principal' },
      );
    const grant: Grant = {
      principal: input.principal,
      resource: input.resource,
      permission: parsePermission(input.permission),
      grantedBy: input.grantedBy,
      grantedAt: this.clock.now(),
    };
    await this.grants.put(grant);
    return grant;
  }

  async revoke(principal: string, resource: ResourceRef): Promise<void> {
    if (!(await this.grants.delete(principal, resource)))
      throw new NotFoundError(`${principal} has no grant on ${resource.type} ${resource.id}`, {
        principal,
      });
  }

  list(filter?: { principal?: string; resource?: ResourceRef }): Promise<Grant[]> {
    return this.grants.list(filter);
  }
}
