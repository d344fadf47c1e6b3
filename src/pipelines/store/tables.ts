/** The pipelines domain's tables (migration 0006-pipelines), as its Kysely store sees them. */
export type PipelineTables = {
  pipelines: { name: string; latest_version: number; created_at: number; updated_at: number };
  pipeline_versions: {
    id: string;
    pipeline_name: string;
    version: number;
    digest: string;
    spec_json: string;
    source_dir: string | null;
    created_at: number;
  };
  pipeline_runs: {
    id: string;
    pipeline_name: string;
    pipeline_version: number;
    status: string;
    params_json: string;
    trigger_json: string;
    tracking_run_id: string | null;
    owner_id: string | null;
    no_cache: number;
    cancel_requested: number;
    error: string | null;
    created_at: number;
    started_at: number | null;
    finished_at: number | null;
  };
  pipeline_steps: {
    run_id: string;
    step: string;
    status: string;
    attempt: number;
    exit_code: number | null;
    outputs_json: string | null;
    cache_key: string | null;
    tracking_run_id: string | null;
    error: string | null;
    started_at: number | null;
    finished_at: number | null;
    wall_ms: number | null;
    cpu_ms: number | null;
    peak_rss_bytes: number | null;
    host: string | null;
    pid: number | null;
    pgid: number | null;
    proc_start: string | null;
    approved_by: string | null;
    approved_at: number | null;
  };
  pipeline_step_logs: {
    run_id: string;
    step: string;
    seq: number;
    text: string;
    created_at: number;
  };
  pipeline_cache: {
    key: string;
    pipeline_name: string;
    step: string;
    outputs_json: string;
    run_id: string;
    created_at: number;
  };
  pipeline_trigger_fires: { key: string; run_id: string; created_at: number };
  pipeline_schedules: { key: string; last_fired_at: number };
  pipeline_owners: {
    id: string;
    host: string;
    pid: number;
    started_at: number;
    heartbeat_at: number;
  };
  pipeline_leases: { name: string; holder: string; expires_at: number };
};
