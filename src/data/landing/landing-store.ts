import type { Kysely } from 'kysely';
import { AlreadyExistsError, type Clock, systemClock } from '../../core/index.js';
import { isUniqueViolation, type Database } from '../../db/index.js';
import { dataKysely, type DataTables } from '../tables.js';

/** A watched place whose new files become versions of one dataset. */
export interface LandingZone {
  name: string;
  /** A local directory, file:// URI or s3://bucket/prefix. */
  uri: string;
  datasetName: string;
  /** Suite YAML every file must pass; failing files are quarantined. */
  suiteYaml?: string;
  createdAt: number;
}

/** One processed file in a zone's ledger. */
export interface LandingFile {
  zoneName: string;
  path: string;
  fingerprint: string;
  size: number;
  status: 'registered' | 'quarantined';
  versionId?: string;
  quarantinePath?: string;
  /** The reason a file was quarantined: an error message and, if validated, the report. */
  detail?: Record<string, unknown>;
  processedAt: number;
}

/** Landing zones and their ledger of processed files (the watcher's cursor). */
export interface LandingZoneStore {
  createZone(zone: Omit<LandingZone, 'createdAt'>): Promise<LandingZone>;
  getZone(name: string): Promise<LandingZone | undefined>;
  listZones(): Promise<LandingZone[]>;
  /** `path` + '\0' + `fingerprint` for every processed file of a zone. */
  processedKeys(zoneName: string): Promise<Set<string>>;
  recordQuarantine(file: Omit<LandingFile, 'status' | 'processedAt' | 'versionId'>): Promise<void>;
  listFiles(zoneName: string, limit?: number): Promise<LandingFile[]>;
}

export const ledgerKey = (path: string, fingerprint: string) => `${path}\0${fingerprint}`;

export class KyselyLandingZoneStore implements LandingZoneStore {
  private readonly kysely: Kysely<DataTables>;

  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.kysely = dataKysely(db);
  }

  async createZone(zone: Omit<LandingZone, 'createdAt'>): Promise<LandingZone> {
    const createdAt = this.clock.now();
    try {
      await this.kysely
        .insertInto('landing_zones')
        .values({
          name: zone.name,
          uri: zone.uri,
          dataset_name: zone.datasetName,
          suite_yaml: zone.suiteYaml ?? null,
          created_at: createdAt,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AlreadyExistsError(`landing zone ${zone.name} already exists`, {
          zone: zone.name,
        });
      }
      throw error;
    }
    return { ...zone, createdAt };
  }

  async getZone(name: string): Promise<LandingZone | undefined> {
    const row = await this.kysely
      .selectFrom('landing_zones')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toZone(row) : undefined;
  }

  async listZones(): Promise<LandingZone[]> {
    const rows = await this.kysely
      .selectFrom('landing_zones')
      .selectAll()
      .orderBy('name')
      .execute();
    return rows.map(toZone);
  }

  async processedKeys(zoneName: string): Promise<Set<string>> {
    const rows = await this.kysely
      .selectFrom('landing_files')
      .select(['path', 'fingerprint'])
      .where('zone_name', '=', zoneName)
      .execute();
    return new Set(rows.map((r) => ledgerKey(r.path, r.fingerprint)));
  }

  async recordQuarantine(
    file: Omit<LandingFile, 'status' | 'processedAt' | 'versionId'>,
  ): Promise<void> {
    await this.kysely
      .insertInto('landing_files')
      .values({
        zone_name: file.zoneName,
        path: file.path,
        fingerprint: file.fingerprint,
        size: file.size,
        status: 'quarantined',
        version_id: null,
        quarantine_path: file.quarantinePath ?? null,
        detail: file.detail ? JSON.stringify(file.detail) : null,
        processed_at: this.clock.now(),
      })
      .onConflict((oc) => oc.columns(['zone_name', 'path', 'fingerprint']).doNothing())
      .execute();
  }

  async listFiles(zoneName: string, limit = 100): Promise<LandingFile[]> {
    const rows = await this.kysely
      .selectFrom('landing_files')
      .selectAll()
      .where('zone_name', '=', zoneName)
      .orderBy('processed_at', 'desc')
      .orderBy('path')
      .limit(Math.min(Math.max(limit, 1), 1000))
      .execute();
    return rows.map((r) => ({
      zoneName: r.zone_name,
      path: r.path,
      fingerprint: r.fingerprint,
      size: Number(r.size),
      status: r.status as LandingFile['status'],
      ...(r.version_id ? { versionId: r.version_id } : {}),
      ...(r.quarantine_path ? { quarantinePath: r.quarantine_path } : {}),
      ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
      processedAt: Number(r.processed_at),
    }));
  }
}

function toZone(row: DataTables['landing_zones']): LandingZone {
  return {
    name: row.name,
    uri: row.uri,
    datasetName: row.dataset_name,
    ...(row.suite_yaml ? { suiteYaml: row.suite_yaml } : {}),
    createdAt: Number(row.created_at),
  };
}
