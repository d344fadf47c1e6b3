import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { EventTables } from '../events/index.js';

/** The tables the data domain owns (created by db/migrations/0004-data.ts). */
export type DataTables = EventTables & {
  datasets: {
    id: string;
    name: string;
    description: string | null;
    created_at: number;
    updated_at: number;
  };
  dataset_transforms: { id: string; kind: string; spec: string; created_at: number };
  dataset_versions: {
    id: string;
    dataset_id: string;
    version: number;
    digest: string;
    artifact_path: string;
    source: string;
    format: string;
    schema_json: string;
    row_count: number;
    bytes: number;
    created_by: string;
    tags_json: string;
    profile_json: string;
    transform_id: string | null;
    created_at: number;
  };
  dataset_transform_inputs: { transform_id: string; alias: string; source_version_id: string };
  dataset_validation_reports: {
    id: string;
    dataset_name: string;
    version_id: string | null;
    suite_name: string | null;
    passed: number;
    report_json: string;
    created_at: number;
  };
  landing_zones: {
    name: string;
    uri: string;
    dataset_name: string;
    suite_yaml: string | null;
    created_at: number;
  };
  landing_files: {
    zone_name: string;
    path: string;
    fingerprint: string;
    size: number;
    status: string;
    version_id: string | null;
    quarantine_path: string | null;
    detail: string | null;
    processed_at: number;
  };
};

/** The data domain's view of the metadata database: only its own tables. */
export function dataKysely(db: Database): Kysely<DataTables> {
  return db.kysely.withTables<DataTables>() as unknown as Kysely<DataTables>;
}
