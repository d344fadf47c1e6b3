import {
  ID_OPERATORS,
  NUMBER_OPERATORS,
  STRING_OPERATORS,
  type SearchFields,
} from '../search/index.js';

const TAG = {
  ownerColumn: 'model_id',
  keyColumn: 'key',
  valueColumn: 'value',
  type: 'string',
  operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
} as const;

/**
 * What registered-model searches may filter and order on: MLflow's `name` and `tags.<key>`,
 * plus the timestamps for ordering (`timestamp` is MLflow's synonym for the update time).
 */
export const MODEL_SEARCH_FIELDS: SearchFields = {
  entity: 'registered models',
  ownerColumn: 'registered_models.id',
  attributes: {
    name: { column: 'registered_models.name', type: 'string', operators: STRING_OPERATORS },
    creation_timestamp: {
      column: 'registered_models.created_at',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
    last_updated_timestamp: {
      column: 'registered_models.updated_at',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
    timestamp: {
      column: 'registered_models.updated_at',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
  },
  tag: { ...TAG, table: 'registered_model_tags' },
};

/**
 * What model-version searches may filter and order on: MLflow's `name`, `version_number`,
 * `run_id`, `source_path`, `tags.<key>`, plus stage, status and the timestamps.
 */
export const VERSION_SEARCH_FIELDS: SearchFields = {
  entity: 'model versions',
  ownerColumn: 'model_versions.id',
  attributes: {
    name: {
      column: 'registered_models.name',
      type: 'string',
      operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
    },
    version_number: {
      column: 'model_versions.version',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
    run_id: { column: 'model_versions.run_id', type: 'string', operators: ID_OPERATORS },
    source_path: {
      column: 'model_versions.source',
      type: 'string',
      operators: STRING_OPERATORS,
    },
    current_stage: {
      column: 'model_versions.stage',
      type: 'string',
      operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
    },
    status: {
      column: 'model_versions.status',
      type: 'string',
      operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
    },
    creation_timestamp: {
      column: 'model_versions.created_at',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
    last_updated_timestamp: {
      column: 'model_versions.updated_at',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
    timestamp: {
      column: 'model_versions.updated_at',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
  },
  tag: { ...TAG, ownerColumn: 'version_id', table: 'model_version_tags' },
};
