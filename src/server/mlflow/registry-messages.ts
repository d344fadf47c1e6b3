import type { ModelVersion, RegisteredModel, RegisteredModelDetail } from '../../registry/index.js';

type Tags = { key: string; value: string }[] | undefined;

/** Repeated fields that are empty are omitted, as protobuf-JSON does. */
function tagList(tags: Record<string, string>): Tags {
  const list = Object.entries(tags).map(([key, value]) => ({ key, value }));
  return list.length > 0 ? list : undefined;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** A model version as MLflow's `ModelVersion` message (model_registry.proto). */
export function modelVersionMessage(v: ModelVersion) {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.createdAt,
    last_updated_timestamp: v.updatedAt,
    current_stage: v.stage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: v.status,
    status_message: v.statusMessage,
    tags: tagList(v.tags),
    run_link: v.runLink,
    aliases: nonEmpty(v.aliases),
  };
}

/** A registered model as MLflow's `RegisteredModel` message. */
export function registeredModelMessage(m: RegisteredModel | RegisteredModelDetail) {
  const latest = 'latestVersions' in m ? m.latestVersions.map(modelVersionMessage) : [];
  return {
    name: m.name,
    creation_timestamp: m.createdAt,
    last_updated_timestamp: m.updatedAt,
    description: m.description,
    latest_versions: nonEmpty(latest),
    tags: tagList(m.tags),
    aliases: nonEmpty(m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) }))),
  };
}
