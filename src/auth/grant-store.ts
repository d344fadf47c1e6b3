import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { Permission, ResourceRef, ResourceType } from './access.js';
import type { AuthTables } from './tables.js';

/** A permission one principal holds on one experiment or registered model. */
export interface Grant {
  principal: string;
  resource: ResourceRef;
  permission: Permission;
  grantedBy: string;
  grantedAt: number;
}

export interface GrantStore {
  /** Sets (or replaces) the principal's permission on the resource. */
  put(grant: Grant): Promise<void>;
  get(principal: string, resource: ResourceRef): Promise<Grant | undefined>;
  /** Returns whether there was one to delete. */
  delete(principal: string, resource: ResourceRef): Promise<boolean>;
  list(filter?: { principal?: string; resource?: ResourceRef }): Promise<Grant[]>;
}

type Row = AuthTables['access_grants'];

const fromRow = (row: Row): Grant => ({
  principal: row.principal,
  resource: { type: row.resource_type as ResourceType, id: row.resource_id },
  permission: row.permission as Permission,
  grantedBy: row.granted_by,
  grantedAt: Number(row.granted_at),
});

export class KyselyGrantStore implements GrantStore {
  private readonly kysely: Kysely<AuthTables>;

  constructor(db: Database) {
    this.kysely = db.kysely.withTables<AuthTables>() as unknown as Kysely<AuthTables>;
  }

  async put(grant: Grant): Promise<void> {
    const values = {
      principal: grant.principal,
      resource_type: grant.resource.type,
      resource_id: grant.resource.id,
      permission: grant.permission,
      granted_by: grant.grantedBy,
      granted_at: grant.grantedAt,
    };
    await this.kysely
      .insertInto('access_grants')
      .values(values)
      .onConflict((c) =>
        c.columns(['principal', 'resource_type', 'resource_id']).doUpdateSet({
          permission: values.permission,
          granted_by: values.granted_by,
          granted_at: values.granted_at,
        }),
      )
      .execute();
  }

  async get(principal: string, resource: ResourceRef): Promise<Grant | undefined> {
    const row = await this.kysely
      .selectFrom('access_grants')
      .selectAll()
      .where('principal', '=', principal)
      .where('resource_type', '=', resource.type)
      .where('resource_id', '=', resource.id)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async delete(principal: string, resource: ResourceRef): Promise<boolean> {
    const result = await this.kysely
      .deleteFrom('access_grants')
      .where('principal', '=', principal)
      .where('resource_type', '=', resource.type)
      .where('resource_id', '=', resource.id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(filter: { principal?: string; resource?: ResourceRef } = {}): Promise<Grant[]> {
    let query = this.kysely.selectFrom('access_grants').selectAll();
    if (filter.principal) query = query.where('principal', '=', filter.principal);
    if (filter.resource)
      query = query
        .where('resource_type', '=', filter.resource.type)
        .where('resource_id', '=', filter.resource.id);
    const rows = await query
      .orderBy('principal')
      .orderBy('resource_type')
      .orderBy('resource_id')
      .execute();
    return rows.map(fromRow);
  }
}
