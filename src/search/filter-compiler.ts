import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { filterError } from './filter-tokenizer.js';
import type {
  ComparisonOperator,
  FilterAst,
  FilterComparison,
  FilterLiteral,
} from './filter-parser.js';
import type { FieldType, KeyedField, SearchFields } from './search-fields.js';
import { likeCondition } from './like-condition.js';
import type { Dialect } from '../db/index.js';

function describeValue(value: FilterLiteral): string {
  switch (value.type) {
    case 'string':
      return `'${value.value}'`;
    case 'number':
      return String(value.value);
    case 'list':
      return `(${value.values.map((v) => `'${v}'`).join(', ')})`;
    case 'none':
      return 'NULL';
  }
}

function checkOperator(
  ast: FilterAst,
  clause: FilterComparison,
  allowed: readonly ComparisonOperator[],
): void {
  if (!allowed.includes(clause.operator))
    filterError(
      ast.source,
      `operator '${clause.operator}' is not supported for '${clause.identifier}'; use one of ${allowed.join(', ')}`,
      clause.operator,
    );
}

/** The bound parameter for a scalar comparison, checked against the field's type. */
function scalar(ast: FilterAst, clause: FilterComparison, type: FieldType): string | number {
  const v = clause.value;
  if (type === 'number') {
    if (v.type === 'number') return v.value;
    // MLflow accepts quoted numbers for numeric attributes such as start_time.
    if (v.type === 'string' && v.value.trim() !== '' && Number.isFinite(Number(v.value)))
      return Number(v.value);
    filterError(
      ast.source,
      `'${clause.identifier}' compares numbers; got ${describeValue(v)}`,
      describeValue(v),
    );
  }
  if (v.type === 'string') return v.value;
  return filterError(
    ast.source,
    `'${clause.identifier}' compares strings; put ${describeValue(v)} in quotes`,
    describeValue(v),
  );
}

/** `column <op> value`, every value a bound parameter. */
function compare(
  dialect: Dialect,
  ast: FilterAst,
  clause: FilterComparison,
  column: Expression<unknown>,
  type: FieldType,
): RawBuilder<SqlBool> {
  switch (clause.operator) {
    case 'IN':
    case 'NOT IN': {
      if (clause.value.type !== 'list') return filterError(ast.source, 'expected a list');
      const items = sql.join(clause.value.values.map((v) => sql`${v}`));
      return clause.operator === 'IN'
        ? sql`${column} in (${items})`
        : sql`${column} not in (${items})`;
    }
    case 'IS NULL':
      return sql`${column} is null`;
    case 'IS NOT NULL':
      return sql`${column} is not null`;
    case 'LIKE':
    case 'ILIKE':
      return likeCondition(
        dialect,
        column,
        String(scalar(ast, clause, 'string')),
        clause.operator === 'ILIKE',
      );
    default: {
      const value = scalar(ast, clause, type);
      // PostgreSQL would type a bare parameter after the column (bigint), refusing 1.5.
      const bound =
        typeof value === 'number' ? sql`cast(${value} as double precision)` : sql`${value}`;
      return sql`${column} ${sql.raw(clause.operator)} ${bound}`;
    }
  }
}

function keyed(
  dialect: Dialect,
  ast: FilterAst,
  fields: SearchFields,
  field: KeyedField,
  clause: FilterComparison,
): RawBuilder<SqlBool> {
  checkOperator(ast, clause, field.operators);
  const value = sql.ref(`k.${field.valueColumn}`);
  const notNan = field.nanColumn ? sql` and ${sql.ref(`k.${field.nanColumn}`)} = 0` : sql``;
  // != keeps MLflow's meaning: the key exists with another value (rows without it don't match).
  return sql<SqlBool>`exists (select 1 from ${sql.table(field.table)} as k where ${sql.ref(
    `k.${field.ownerColumn}`,
  )} = ${sql.ref(fields.ownerColumn)} and ${sql.ref(`k.${field.keyColumn}`)} = ${clause.key}${notNan} and ${compare(
    dialect,
    ast,
    clause,
    value,
    field.type,
  )})`;
}

function compileClause(
  dialect: Dialect,
  ast: FilterAst,
  fields: SearchFields,
  clause: FilterComparison,
): RawBuilder<SqlBool> {
  const unsupported = (): never =>
    filterError(
      ast.source,
      `'${clause.identifier}' cannot be used to search ${fields.entity}`,
      clause.identifier,
    );
  switch (clause.kind) {
    case 'attribute': {
      const attribute = fields.attributes[clause.key];
      if (!attribute)
        filterError(
          ast.source,
          `unknown attribute '${clause.identifier}'; ${fields.entity} can be filtered on ${Object.keys(fields.attributes).join(', ')}`,
          clause.identifier,
        );
      checkOperator(ast, clause, attribute.operators);
      return compare(dialect, ast, clause, sql.ref(attribute.column), attribute.type);
    }
    case 'metric':
      return fields.metric ? keyed(dialect, ast, fields, fields.metric, clause) : unsupported();
    case 'param':
      return fields.param ? keyed(dialect, ast, fields, fields.param, clause) : unsupported();
    case 'tag':
      return fields.tag ? keyed(dialect, ast, fields, fields.tag, clause) : unsupported();
    case 'dataset': {
      const datasets = fields.datasets;
      if (!datasets) return unsupported();
      const column = datasets.columns[clause.key];
      if (!column)
        filterError(
          ast.source,
          `unknown dataset field '${clause.identifier}'; use ${Object.keys(datasets.columns)
            .map((c) => `datasets.${c}`)
            .join(', ')}`,
          clause.identifier,
        );
      checkOperator(ast, clause, ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']);
      return sql<SqlBool>`exists (select 1 from ${sql.table(datasets.table)} as d where ${sql.ref(
        `d.${datasets.ownerColumn}`,
      )} = ${sql.ref(fields.ownerColumn)} and ${compare(dialect, ast, clause, sql.ref(`d.${column}`), 'string')})`;
    }
  }
}

/**
 * Compiles a parsed filter into one parameterized SQL condition for a Kysely `where`, given
 * what the searched entity allows. Values are always bound parameters, never spliced; column
 * and table names come only from `fields`. Returns undefined for an empty filter.
 */
export function compileFilter(
  ast: FilterAst,
  fields: SearchFields,
  dialect: Dialect,
): Expression<SqlBool> | undefined {
  if (ast.clauses.length === 0) return undefined;
  const parts = ast.clauses.map((clause) => compileClause(dialect, ast, fields, clause));
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
