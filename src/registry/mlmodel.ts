import { parse } from 'yaml';
import { readArtifact, type ArtifactStore } from '../artifacts/index.js';
import type { ModelMetadata } from './types.js';

/** MLmodel files are small manifests; anything bigger is not one. */
const MAX_MLMODEL_BYTES = 1024 * 1024;

export type MlmodelResult =
  | { kind: 'absent' }
  | { kind: 'read'; metadata: ModelMetadata }
  | { kind: 'invalid'; message: string };

function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Turns the text of an MLmodel file into metadata, or explains why it is not a valid one. */
export function parseMlmodel(text: string): MlmodelResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return { kind: 'invalid', message: `MLmodel is not valid YAML: ${(error as Error).message}` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { kind: 'invalid', message: 'MLmodel is not a YAML mapping' };
  const m = doc as Record<string, unknown>;
  const flavors = m.flavors;
  if (typeof flavors !== 'object' || flavors === null || Array.isArray(flavors))
    return { kind: 'invalid', message: 'MLmodel has no flavors mapping' };
  const metadata: ModelMetadata = { flavors: flavors as Record<string, unknown> };
  if (typeof m.signature === 'object' && m.signature !== null) {
    const s = m.signature as Record<string, unknown>;
    // MLflow writes signature inputs/outputs as JSON strings inside the YAML.
    metadata.signature = {};
    for (const part of ['inputs', 'outputs', 'params'] as const)
      if (s[part] !== undefined && s[part] !== null)
        metadata.signature[part] = parseJsonString(s[part]);
  }
  if (typeof m.model_uuid === 'string') metadata.modelUuid = m.model_uuid;
  if (typeof m.mlflow_version === 'string') metadata.mlflowVersion = m.mlflow_version;
  if (typeof m.utc_time_created === 'string') metadata.createdAtUtc = m.utc_time_created;
  if (typeof m.run_id === 'string') metadata.runId = m.run_id;
  return { kind: 'read', metadata };
}

/** Reads `<dir>/MLmodel` (or `dir` itself when it names an MLmodel file) through the store. */
export async function readMlmodel(store: ArtifactStore, dir: string): Promise<MlmodelResult> {
  const isFile = dir === 'MLmodel' || dir.endsWith('/MLmodel');
  const path = isFile ? dir : dir === '' ? 'MLmodel' : `${dir}/MLmodel`;
  const info = await store.stat(path);
  if (!info) return { kind: 'absent' };
  if (info.size > MAX_MLMODEL_BYTES)
    return { kind: 'invalid', message: `MLmodel is larger than ${MAX_MLMODEL_BYTES} bytes` };
  return parseMlmodel((await readArtifact(store, path)).toString('utf8'));
}
