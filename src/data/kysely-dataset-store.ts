import type { Kysely, Selectable, Transaction } from 'kysely';
import { newUuid, systemClock, type Clock } from '../core/index.js';
import { isUniqueViolation, type Database } from '../db/index.js';
import { KyselyEventStore, type EventStore, type EventTables } from '../events/index.js';
import { DATASET_VERSION_CREATED } from './dataset-events.js';
import type {
  CreateVersionResult,
  DatasetStore,
  LandingOrigin,
  NewTransform,
  NewVersion,
  TransformKind,
  TransformRecord,
} from './store.js';
import { dataKysely, type DataTables } from './tables.js';
import type {
  Dataset,
  DatasetProfile,
  DatasetVersion,
  SourceFormat,
  ValidationReport,
} from './types.js';

type VersionRow = Selectable<DataTables['dataset_versions']> & { dataset_name: string };

function toVersion(row: VersionRow): DatasetVersion {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    version: Number(row.version),
    digest: row.digest,
    artifactPath: row.artifact_path,
    source: row.source,
    format: row.format as SourceFormat,
    schema: JSON.parse(row.schema_json) as DatasetVersion['schema'],
    rowCount: Number(row.row_count),
    bytes: Number(row.bytes),
    createdBy: row.created_by,
    tags: JSON.parse(row.tags_json) as Record<string, string>,
    ...(row.transform_id ? { transformId: row.transform_id } : {}),
    createdAt: Number(row.created_at),
  };
}

const MAX_ATTEMPTS = 5;

export class KyselyDatasetStore implements DatasetStore {
  private readonly kysely: Kysely<DataTables>;
  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
    /** The process's shared outbox, so in-process consumers hear of new versions at once. */
    private readonly events: EventStore = new KyselyEventStore(db, clock),
  ) {
    this.kysely = dataKysely(db);
  }

  private versions(db: Kysely<DataTables> | Transaction<DataTables> = this.kysely) {
    return db
      .selectFrom('dataset_versions as v')
      .innerJoin('datasets as d', 'd.id', 'v.dataset_id')
      .select([
        'v.id',
        'v.dataset_id',
        'v.version',
        'v.digest',
        'v.artifact_path',
        'v.source',
        'v.format',
        'v.schema_json',
        'v.row_count',
        'v.bytes',
        'v.created_by',
        'v.tags_json',
        'v.profile_json',
        'v.transform_id',
        'v.created_at',
        'd.name as dataset_name',
      ]);
  }

  async createVersion(
    input: NewVersion,
    options: { transform?: NewTransform; landing?: LandingOrigin } = {},
  ): Promise<CreateVersionResult> {
    // Two writers may race for the next version number or the dataset row; the loser's
    // unique violation rolls its transaction back whole, and it simply tries again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.kysely.transaction().execute((trx) => this.createIn(trx, input, options));
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async createIn(
    trx: Transaction<DataTables>,
    input: NewVersion,
    options: { transform?: NewTransform; landing?: LandingOrigin },
  ): Promise<CreateVersionResult> {
    const now = this.clock.now();
    let dataset = await trx
      .selectFrom('datasets')
      .select(['id'])
      .where('name', '=', input.datasetName)
      .executeTakeFirst();
    if (!dataset) {
      dataset = { id: newUuid() };
      await trx
        .insertInto('datasets')
        .values({
          id: dataset.id,
          name: input.datasetName,
          description: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const existing = await this.versions(trx)
      .where('v.dataset_id', '=', dataset.id)
      .where('v.digest', '=', input.digest)
      .executeTakeFirst();
    if (existing) {
      if (options.landing) await this.recordLanding(trx, options.landing, existing.id, now);
      return { version: toVersion(existing), created: false };
    }
    const { max } = await trx
      .selectFrom('dataset_versions')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('dataset_id', '=', dataset.id)
      .executeTakeFirstOrThrow();
    const number = Number(max ?? 0) + 1;

    let transformId: string | null = null;
    if (options.transform) {
      transformId = newUuid();
      await trx
        .insertInto('dataset_transforms')
        .values({
          id: transformId,
          kind: options.transform.kind,
          spec: JSON.stringify(options.transform.spec),
          created_at: now,
        })
        .execute();
      const inputs = Object.entries(options.transform.inputs);
      if (inputs.length > 0) {
        await trx
          .insertInto('dataset_transform_inputs')
          .values(
            inputs.map(([alias, versionId]) => ({
              transform_id: transformId as string,
              alias,
              source_version_id: versionId,
            })),
          )
          .execute();
      }
    }

    const id = newUuid();
    await trx
      .insertInto('dataset_versions')
      .values({
        id,
        dataset_id: dataset.id,
        version: number,
        digest: input.digest,
        artifact_path: input.artifactPath,
        source: input.source,
        format: input.format,
        schema_json: JSON.stringify(input.schema),
        row_count: input.rowCount,
        bytes: input.bytes,
        created_by: input.createdBy,
        tags_json: JSON.stringify(input.tags),
        profile_json: JSON.stringify(input.profile),
        transform_id: transformId,
        created_at: now,
      })
      .execute();
    await trx
      .updateTable('datasets')
      .set({ updated_at: now })
      .where('id', '=', dataset.id)
      .execute();
    await this.events.append(
      trx as unknown as Kysely<EventTables>,
      {
        type: DATASET_VERSION_CREATED,
        subject: `dataset:${input.datasetName}@${number}`,
        payload: {
          datasetName: input.datasetName,
          version: number,
          versionId: id,
          digest: input.digest,
          source: input.source,
          rowCount: input.rowCount,
          ...(options.landing ? { landingZone: options.landing.zoneName } : {}),
        },
      },
      now,
    );
    if (options.landing) await this.recordLanding(trx, options.landing, id, now);
    const created = await this.versions(trx).where('v.id', '=', id).executeTakeFirstOrThrow();
    return { version: toVersion(created), created: true };
  }

  private async recordLanding(
    trx: Transaction<DataTables>,
    landing: LandingOrigin,
    versionId: string,
    now: number,
  ): Promise<void> {
    await trx
      .insertInto('landing_files')
      .values({
        zone_name: landing.zoneName,
        path: landing.path,
        fingerprint: landing.fingerprint,
        size: landing.size,
        status: 'registered',
        version_id: versionId,
        quarantine_path: null,
        detail: null,
        processed_at: now,
      })
      // Two watchers may process one file; the second finds the version by digest and
      // must not fail on the ledger row the first already wrote.
      .onConflict((oc) => oc.columns(['zone_name', 'path', 'fingerprint']).doNothing())
      .execute();
  }

  async getDataset(name: string): Promise<Dataset | undefined> {
    return (await this.datasetQuery().where('d.name', '=', name).executeTakeFirst())?.valueOf() as
      Dataset | undefined;
  }

  async listDatasets(): Promise<Dataset[]> {
    return (await this.datasetQuery().orderBy('d.name').execute()) as Dataset[];
  }

  private datasetQuery() {
    return this.kysely
      .selectFrom('datasets as d')
      .leftJoin('dataset_versions as v', 'v.dataset_id', 'd.id')
      .select((eb) => [
        'd.id as id',
        'd.name as name',
        'd.created_at as createdAt',
        'd.updated_at as updatedAt',
        eb.fn.coalesce(eb.fn.max('v.version'), eb.lit(0)).as('latestVersion'),
      ])
      .groupBy(['d.id', 'd.name', 'd.created_at', 'd.updated_at'])
      .$castTo<Dataset>();
  }

  async getVersion(name: string, version?: number): Promise<DatasetVersion | undefined> {
    let query = this.versions().where('d.name', '=', name);
    query =
      version === undefined
        ? query.orderBy('v.version', 'desc').limit(1)
        : query.where('v.version', '=', version);
    const row = await query.executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async getVersionById(id: string): Promise<DatasetVersion | undefined> {
    const row = await this.versions().where('v.id', '=', id).executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async listVersions(name: string): Promise<DatasetVersion[]> {
    const rows = await this.versions().where('d.name', '=', name).orderBy('v.version').execute();
    return rows.map(toVersion);
  }

  async findVersionsByDigest(digest: string): Promise<DatasetVersion[]> {
    // Digests are lowercase hex, so a prefix match never meets LIKE's case rules or wildcards.
    const prefix = digest.toLowerCase().replace(/[^0-9a-f]/g, '');
    if (prefix.length === 0) return [];
    const rows = await this.versions()
      .where('v.digest', 'like', `${prefix}%`)
      .orderBy('v.created_at')
      .execute();
    return rows.map(toVersion);
  }

  async getProfile(versionId: string): Promise<DatasetProfile | undefined> {
    const row = await this.kysely
      .selectFrom('dataset_versions')
      .select('profile_json')
      .where('id', '=', versionId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.profile_json) as DatasetProfile) : undefined;
  }

  async getTransform(id: string): Promise<TransformRecord | undefined> {
    const row = await this.kysely
      .selectFrom('dataset_transforms')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toTransform(row) : undefined;
  }

  async listTransforms(kind: TransformKind): Promise<TransformRecord[]> {
    const rows = await this.kysely
      .selectFrom('dataset_transforms')
      .selectAll()
      .where('kind', '=', kind)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.toTransform(row)));
  }

  private async toTransform(
    row: Selectable<DataTables['dataset_transforms']>,
  ): Promise<TransformRecord> {
    const inputs = await this.kysely
      .selectFrom('dataset_transform_inputs')
      .select(['alias', 'source_version_id'])
      .where('transform_id', '=', row.id)
      .orderBy('alias')
      .execute();
    return {
      id: row.id,
      kind: row.kind as TransformKind,
      spec: JSON.parse(row.spec) as Record<string, unknown>,
      inputs: inputs.map((i) => ({ alias: i.alias, versionId: i.source_version_id })),
      createdAt: Number(row.created_at),
    };
  }

  async listDerivedVersions(
    versionId: string,
  ): Promise<{ transformId: string; version: DatasetVersion }[]> {
    const rows = await this.versions()
      .innerJoin('dataset_transform_inputs as i', 'i.transform_id', 'v.transform_id')
      .where('i.source_version_id', '=', versionId)
      .orderBy('v.created_at')
      .execute();
    const seen = new Set<string>();
    return rows
      .filter((r) => !seen.has(r.id) && seen.add(r.id))
      .map((r) => ({ transformId: r.transform_id as string, version: toVersion(r) }));
  }

  async listVersionsByTransform(transformId: string): Promise<DatasetVersion[]> {
    const rows = await this.versions()
      .where('v.transform_id', '=', transformId)
      .orderBy('v.created_at')
      .execute();
    return rows.map(toVersion);
  }

  async saveReport(report: ValidationReport): Promise<void> {
    await this.kysely
      .insertInto('dataset_validation_reports')
      .values({
        id: report.id,
        dataset_name: report.datasetName,
        version_id: report.versionId ?? null,
        suite_name: report.suiteName ?? null,
        passed: report.passed ? 1 : 0,
        report_json: JSON.stringify(report),
        created_at: report.createdAt,
      })
      .execute();
  }

  async listReports(versionId: string): Promise<ValidationReport[]> {
    const rows = await this.kysely
      .selectFrom('dataset_validation_reports')
      .select('report_json')
      .where('version_id', '=', versionId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => JSON.parse(r.report_json) as ValidationReport);
  }

  async getReport(id: string): Promise<ValidationReport | undefined> {
    const row = await this.kysely
      .selectFrom('dataset_validation_reports')
      .select('report_json')
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (JSON.parse(row.report_json) as ValidationReport) : undefined;
  }
}
