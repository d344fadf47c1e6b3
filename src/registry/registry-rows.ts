import type { RegistryTables } from './tables.js';
import type {
  Lineage,
  ModelMetadata,
  ModelStage,
  ModelVersion,
  ModelVersionStatus,
} from './types.js';

type VersionRow = RegistryTables['model_versions'] & { name: string };

// JSON has no NaN or Infinity; a lineage snapshot keeps them as strings.
function encodeNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

export function encodeLineage(lineage: Lineage | undefined): string | null {
  return lineage ? JSON.stringify(lineage, encodeNumber) : null;
}

export function decodeLineage(text: string | null): Lineage | undefined {
  if (!text) return undefined;
  const lineage = JSON.parse(text) as Lineage;
  for (const m of lineage.metrics) m.value = Number(m.value);
  return lineage;
}

export function encodeMetadata(metadata: ModelMetadata | undefined): string | null {
  return metadata ? JSON.stringify(metadata) : null;
}

/** Turns a version row plus its tags and aliases into the domain shape, dropping unset fields. */
export function toModelVersion(
  row: VersionRow,
  tags: Record<string, string>,
  aliases: string[],
): ModelVersion {
  const version: ModelVersion = {
    name: row.name,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stage: row.stage as ModelStage,
    source: row.source,
    status: row.status as ModelVersionStatus,
    tags,
    aliases,
  };
  if (row.description !== null) version.description = row.description;
  if (row.run_id !== null) version.runId = row.run_id;
  if (row.run_link !== null) version.runLink = row.run_link;
  if (row.status_message !== null) version.statusMessage = row.status_message;
  if (row.metadata !== null) version.metadata = JSON.parse(row.metadata) as ModelMetadata;
  const lineage = decodeLineage(row.lineage);
  if (lineage) version.lineage = lineage;
  return version;
}

export function versionKey(modelId: string, version: number): string {
  return `${modelId}\u0000${version}`;
}
