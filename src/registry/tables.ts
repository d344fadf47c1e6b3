/** The registry's tables (migration 0003-registry), as its Kysely store sees them. */
// A type alias, not an interface: Kysely's withTables needs an index-compatible shape.
export type RegistryTables = {
  registered_models: {
    id: string;
    name: string;
    description: string | null;
    created_at: number;
    updated_at: number;
    last_version: number;
  };
  registered_model_tags: { model_id: string; key: string; value: string };
  model_versions: {
    model_id: string;
    version: number;
    /** Surrogate key: one column for tag rows and search correlation. */
    id: string;
    created_at: number;
    updated_at: number;
    stage: string;
    description: string | null;
    source: string;
    run_id: string | null;
    run_link: string | null;
    status: string;
    status_message: string | null;
    /** JSON of ModelMetadata. */
    metadata: string | null;
    /** JSON of Lineage, non-finite metric values as strings. */
    lineage: string | null;
  };
  model_version_tags: { version_id: string; key: string; value: string };
  registered_model_aliases: { model_id: string; alias: string; version: number };
};
