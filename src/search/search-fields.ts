import type { ComparisonOperator } from './filter-parser.js';

export type FieldType = 'string' | 'number';

export const STRING_OPERATORS: readonly ComparisonOperator[] = ['=', '!=', 'LIKE', 'ILIKE'];
export const NUMBER_OPERATORS: readonly ComparisonOperator[] = ['=', '!=', '<', '<=', '>', '>='];
export const ID_OPERATORS: readonly ComparisonOperator[] = ['=', '!=', 'IN', 'NOT IN'];

/** A column of the searched entity itself (`attributes.start_time`, `name`, ...). */
export interface AttributeField {
  /** Qualified column, e.g. `runs.start_time`. */
  column: string;
  type: FieldType;
  operators: readonly ComparisonOperator[];
}

/**
 * A key/value side table (`metrics.x`, `params.x`, `tags.x`): a clause becomes an EXISTS
 * over rows of `table` owned by the outer row with the given key.
 */
export interface KeyedField {
  table: string;
  /** Column of `table` holding the owner's id (joined to `SearchFields.ownerColumn`). */
  ownerColumn: string;
  keyColumn: string;
  valueColumn: string;
  type: FieldType;
  operators: readonly ComparisonOperator[];
  /** A 0/1 column flagging NaN values, which never satisfy a numeric comparison. */
  nanColumn?: string;
}

/** `datasets.name|digest|context`: EXISTS over the owner's dataset inputs. */
export interface DatasetFields {
  table: string;
  ownerColumn: string;
  /** Filterable dataset fields and their columns in `table`. */
  columns: Record<string, string>;
}

/**
 * What a search may filter and order on, per entity. Runs, experiments, registered models and
 * model versions each declare one; the parser and compiler are shared.
 */
export interface SearchFields {
  /** Entity name for messages, e.g. `runs`. */
  entity: string;
  /** Qualified id column of the outer query, e.g. `runs.run_uuid`. */
  ownerColumn: string;
  /** Keyed by the name users write; synonyms are separate entries pointing at one column. */
  attributes: Record<string, AttributeField>;
  metric?: KeyedField;
  param?: KeyedField;
  tag?: KeyedField;
  datasets?: DatasetFields;
}
