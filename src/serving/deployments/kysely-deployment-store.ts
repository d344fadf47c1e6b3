import type { Kysely, Transaction } from 'kysely';
import { FailedPreconditionError } from '../../core/index.js';
import { isUniqueViolation, type Database } from '../../db/index.js';
import type { EventStore, EventTables } from '../../events/index.js';
import type { DeploymentStore, NewRevision } from './deployment-store.js';
import {
  DEPLOYMENT_DELETED,
  DEPLOYMENT_REVISED,
  type Deployment,
  type DeploymentRevision,
  type RevisionAction,
} from './deployment-types.js';

/** The tables serving owns (created by db/migrations/0007-serving.ts). */
type ServingTables = EventTables & {
  deployments: { name: string; revision: number; created_at: number; updated_at: number };
  deployment_revisions: {
    deployment: string;
    revision: number;
    spec: string;
    routes: string;
    action: string;
    created_by: string;
    reason: string | null;
    created_at: number;
  };
};

type RevisionRow = ServingTables['deployment_revisions'];
type DeploymentRow = ServingTables['deployments'];

function toRevision(row: RevisionRow): DeploymentRevision {
  return {
    deployment: row.deployment,
    revision: Number(row.revision),
    spec: JSON.parse(row.spec) as DeploymentRevision['spec'],
    routes: JSON.parse(row.routes) as DeploymentRevision['routes'],
    action: row.action as RevisionAction,
    createdBy: row.created_by,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    createdAt: Number(row.created_at),
  };
}

function toDeployment(row: DeploymentRow, current: RevisionRow): Deployment {
  return {
    name: row.name,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    current: toRevision(current),
  };
}

function deploymentOf(
  row: RevisionRow & { name: string; d_created_at: number; updated_at: number },
): DeploymentRow {
  return {
    name: row.name,
    revision: row.revision,
    created_at: row.d_created_at,
    updated_at: row.updated_at,
  };
}

const moved = (name: string) =>
  new FailedPreconditionError(
    `deployment ${name} changed while this change was being made; look at it again and retry`,
    { deployment: name },
  );

/** Deployments over Kysely; the same SQL on SQLite and PostgreSQL. */
export class KyselyDeploymentStore implements DeploymentStore {
  private readonly db: Kysely<ServingTables>;

  constructor(
    database: Database,
    private readonly events: EventStore,
  ) {
    this.db = database.kysely.withTables<ServingTables>() as unknown as Kysely<ServingTables>;
  }

  async appendRevision(
    name: string,
    input: NewRevision,
    now: number,
    expectRevision?: number,
  ): Promise<Deployment> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('deployments')
          .selectAll()
          .where('name', '=', name)
          .executeTakeFirst();
        const current = existing ? Number(existing.revision) : 0;
        if (expectRevision !== undefined && expectRevision !== current) throw moved(name);
        const revision = current + 1;
        if (existing) {
          // The guard on the old revision makes a concurrent writer's update miss.
          const updated = await trx
            .updateTable('deployments')
            .set({ revision, updated_at: now })
            .where('name', '=', name)
            .where('revision', '=', current)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) throw moved(name);
        } else {
          await trx
            .insertInto('deployments')
            .values({ name, revision, created_at: now, updated_at: now })
            .execute();
        }
        const row: RevisionRow = {
          deployment: name,
          revision,
          spec: JSON.stringify(input.spec),
          routes: JSON.stringify(input.routes),
          action: input.action,
          created_by: input.createdBy,
          reason: input.reason ?? null,
          created_at: now,
        };
        await trx.insertInto('deployment_revisions').values(row).execute();
        await this.emit(trx, DEPLOYMENT_REVISED, name, { name, revision }, now);
        const createdAt = existing ? Number(existing.created_at) : now;
        return toDeployment({ name, revision, created_at: createdAt, updated_at: now }, row);
      });
    } catch (error) {
      // Two first deploys of one name: the loser's insert hits the primary key.
      if (isUniqueViolation(error)) throw moved(name);
      throw error;
    }
  }

  async get(name: string): Promise<Deployment | undefined> {
    const row = await this.current().where('d.name', '=', name).executeTakeFirst();
    return row ? toDeployment(deploymentOf(row), row) : undefined;
  }

  async list(): Promise<Deployment[]> {
    const rows = await this.current().orderBy('d.name').execute();
    return rows.map((row) => toDeployment(deploymentOf(row), row));
  }

  /** Deployments joined with their current revision. */
  private current() {
    return this.db
      .selectFrom('deployments as d')
      .innerJoin('deployment_revisions as r', (j) =>
        j.onRef('r.deployment', '=', 'd.name').onRef('r.revision', '=', 'd.revision'),
      )
      .select([
        'd.name',
        'd.created_at as d_created_at',
        'd.updated_at',
        'r.deployment',
        'r.revision',
        'r.spec',
        'r.routes',
        'r.action',
        'r.created_by',
        'r.reason',
        'r.created_at',
      ]);
  }

  async history(name: string): Promise<DeploymentRevision[]> {
    const rows = await this.db
      .selectFrom('deployment_revisions')
      .selectAll()
      .where('deployment', '=', name)
      .orderBy('revision', 'desc')
      .execute();
    return rows.map(toRevision);
  }

  async getRevision(name: string, revision: number): Promise<DeploymentRevision | undefined> {
    const row = await this.db
      .selectFrom('deployment_revisions')
      .selectAll()
      .where('deployment', '=', name)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row ? toRevision(row) : undefined;
  }

  async delete(name: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('deployment_revisions').where('deployment', '=', name).execute();
      const deleted = await trx
        .deleteFrom('deployments')
        .where('name', '=', name)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) return false;
      await this.emit(trx, DEPLOYMENT_DELETED, name, { name }, now);
      return true;
    });
  }

  private emit(
    trx: Transaction<ServingTables>,
    type: string,
    name: string,
    payload: Record<string, unknown>,
    now: number,
  ): Promise<number> {
    return this.events.append(
      trx as unknown as Kysely<EventTables>,
      { type, subject: `deployment:${name}`, payload },
      now,
    );
  }
}
