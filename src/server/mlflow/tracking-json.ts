import {
  LIMITS,
  type DatasetInput,
  type Experiment,
  type KeyValue,
  type Run,
  type RunInfo,
} from '../../tracking/index.js';

// Gyre's tracking entities in MLflow's protobuf-JSON shapes (service.proto). Optional fields
// are left undefined so they are omitted, as protobuf-JSON omits unset fields.

export function experimentJson(e: Experiment): object {
  const tags = Object.entries(e.tags).map(([key, value]) => ({ key, value }));
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: tags.length > 0 ? tags : undefined,
  };
}

export function runInfoJson(info: RunInfo): object {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  };
}

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

function datasetInputJson(d: DatasetInput): object {
  return {
    tags: nonEmpty(d.tags),
    dataset: {
      name: d.name,
      // A digest logged through Gyre's API may be a whole sha256 (64); MLflow clients expect
      // at most 36, and a prefix still names the version (lineage matches prefixes).
      digest: d.digest.slice(0, LIMITS.datasetDigestLength),
      source_type: d.sourceType,
      source: d.source,
      schema: d.schema,
      profile: d.profile,
    },
  };
}

export function runJson(run: Run): object {
  return {
    info: runInfoJson(run.info),
    data: {
      metrics: nonEmpty(run.metrics),
      params: nonEmpty(run.params),
      tags: nonEmpty(run.tags),
    },
    inputs: { dataset_inputs: nonEmpty(run.inputs.map(datasetInputJson)) },
  };
}

export function keyValues(list: { key: string; value: string }[]): KeyValue[] {
  return list.map((t) => ({ key: t.key, value: t.value }));
}
