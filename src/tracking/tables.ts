// The tracking domain's tables (created by db/migrations/0002-tracking.ts), for
// `db.kysely.withTables<TrackingTables>()`. Times are epoch ms; flags 0/1; JSON as text.
export type TrackingTables = {
  experiments: {
    experiment_id: number;
    name: string;
    artifact_location: string;
    lifecycle_stage: string;
    creation_time: number;
    last_update_time: number;
  };
  experiment_tags: { experiment_id: number; key: string; value: string };
  runs: {
    run_uuid: string;
    experiment_id: number;
    name: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time: number | null;
    lifecycle_stage: string;
    artifact_uri: string;
    deleted_time: number | null;
  };
  run_params: { run_uuid: string; key: string; value: string };
  run_tags: { run_uuid: string; key: string; value: string };
  run_metrics: {
    run_uuid: string;
    key: string;
    value: number;
    is_nan: number;
    timestamp: number;
    step: number;
  };
  run_latest_metrics: {
    run_uuid: string;
    key: string;
    value: number;
    is_nan: number;
    timestamp: number;
    step: number;
  };
  run_inputs: {
    run_uuid: string;
    name: string;
    digest: string;
    context: string | null;
    source_type: string;
    source: string;
    schema: string | null;
    profile: string | null;
    tags: string;
  };
  run_outputs: {
    run_uuid: string;
    kind: string;
    name: string;
    version: number;
    created_at: number;
  };
};
