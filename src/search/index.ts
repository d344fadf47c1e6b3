// The MLflow-style search shared by every domain that lists things: the filter grammar
// (parsed, never spliced into SQL), order_by, max_results limits and opaque page tokens.
export {
  parseFilter,
  type ComparisonOperator,
  type EntityKind,
  type FilterAst,
  type FilterComparison,
  type FilterLiteral,
} from './filter-parser.js';
export { tokenizeFilter, type Token } from './filter-tokenizer.js';
export { compileFilter } from './filter-compiler.js';
export { likeCondition, likeToGlob } from './like-condition.js';
export {
  parseOrderBy,
  compileOrderBy,
  type OrderByClause,
  type CompiledOrder,
} from './order-by.js';
export { encodePageToken, decodePageToken, nextPageToken, type PageCursor } from './page-token.js';
export {
  ID_OPERATORS,
  NUMBER_OPERATORS,
  STRING_OPERATORS,
  type AttributeField,
  type DatasetFields,
  type FieldType,
  type KeyedField,
  type SearchFields,
} from './search-fields.js';
export {
  normalizeSearch,
  resolveMaxResults,
  type Page,
  type ResultLimits,
  type SearchQuery,
  type SearchRequest,
} from './search-query.js';
