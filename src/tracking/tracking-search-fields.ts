import {
  ID_OPERATORS,
  NUMBER_OPERATORS,
  STRING_OPERATORS,
  type SearchFields,
} from '../search/index.js';

const NUMBER_IDS = NUMBER_OPERATORS;

/** What run searches may filter and order on (MLflow's run search grammar). */
export const RUN_SEARCH_FIELDS: SearchFields = {
  entity: 'runs',
  ownerColumn: 'runs.run_uuid',
  attributes: {
    run_id: {
      column: 'runs.run_uuid',
      type: 'string',
      operators: [...ID_OPERATORS, 'LIKE', 'ILIKE'],
    },
    run_name: {
      column: 'runs.name',
      type: 'string',
      operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
    },
    status: {
      column: 'runs.status',
      type: 'string',
      operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
    },
    user_id: {
      column: 'runs.user_id',
      type: 'string',
      operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
    },
    artifact_uri: { column: 'runs.artifact_uri', type: 'string', operators: STRING_OPERATORS },
    start_time: { column: 'runs.start_time', type: 'number', operators: NUMBER_OPERATORS },
    end_time: { column: 'runs.end_time', type: 'number', operators: NUMBER_OPERATORS },
    created: { column: 'runs.start_time', type: 'number', operators: NUMBER_OPERATORS },
    Created: { column: 'runs.start_time', type: 'number', operators: NUMBER_OPERATORS },
  },
  metric: {
    table: 'run_latest_metrics',
    ownerColumn: 'run_uuid',
    keyColumn: 'key',
    valueColumn: 'value',
    nanColumn: 'is_nan',
    type: 'number',
    operators: NUMBER_OPERATORS,
  },
  param: {
    table: 'run_params',
    ownerColumn: 'run_uuid',
    keyColumn: 'key',
    valueColumn: 'value',
    type: 'string',
    operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
  },
  tag: {
    table: 'run_tags',
    ownerColumn: 'run_uuid',
    keyColumn: 'key',
    valueColumn: 'value',
    type: 'string',
    operators: [...STRING_OPERATORS, 'IN', 'NOT IN'],
  },
  datasets: {
    table: 'run_inputs',
    ownerColumn: 'run_uuid',
    columns: { name: 'name', digest: 'digest', context: 'context' },
  },
};

/** What experiment searches may filter and order on. */
export const EXPERIMENT_SEARCH_FIELDS: SearchFields = {
  entity: 'experiments',
  ownerColumn: 'experiments.experiment_id',
  attributes: {
    name: { column: 'experiments.name', type: 'string', operators: STRING_OPERATORS },
    experiment_id: { column: 'experiments.experiment_id', type: 'number', operators: NUMBER_IDS },
    creation_time: {
      column: 'experiments.creation_time',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
    last_update_time: {
      column: 'experiments.last_update_time',
      type: 'number',
      operators: NUMBER_OPERATORS,
    },
  },
  tag: {
    table: 'experiment_tags',
    ownerColumn: 'experiment_id',
    keyColumn: 'key',
    valueColumn: 'value',
    type: 'string',
    operators: STRING_OPERATORS,
  },
};
