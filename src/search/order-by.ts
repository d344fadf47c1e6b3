import { sql, type Expression } from 'kysely';
import { InvalidArgumentError } from '../core/index.js';
import { PREFIXES, type EntityKind } from './filter-parser.js';
import { tokenizeFilter } from './filter-tokenizer.js';
import type { SearchFields } from './search-fields.js';

/** One parsed `order_by` entry such as `metrics.rmse DESC`. */
export interface OrderByClause {
  kind: EntityKind;
  key: string;
  descending: boolean;
  /** The entry as written, for error messages. */
  source: string;
}

// Ordering accepts the filter grammar's prefixes except datasets, which have no single value.
const KINDS: Readonly<Record<string, EntityKind>> = Object.fromEntries(
  Object.entries(PREFIXES).filter(([, kind]) => kind !== 'dataset'),
);

function orderError(source: string, why: string): never {
  throw new InvalidArgumentError(`invalid order_by ${JSON.stringify(source)}: ${why}`, {
    field: 'order_by',
    token: source,
  });
}

/** Parses one `order_by` entry: an identifier, then optionally ASC or DESC. */
export function parseOrderBy(source: string): OrderByClause {
  let tokens;
  try {
    tokens = tokenizeFilter(source);
  } catch {
    return orderError(source, 'not an identifier followed by ASC or DESC');
  }
  const [ident, direction, extra] = tokens;
  if (!ident || ident.type !== 'identifier')
    orderError(source, 'expected an identifier such as metrics.rmse or attributes.start_time');
  if (extra) orderError(source, `unexpected '${extra.text}' after the direction`);
  let descending = false;
  if (direction) {
    const word = direction.type === 'identifier' && direction.prefix === '' ? direction.value : '';
    if (/^desc$/i.test(word)) descending = true;
    else if (!/^asc$/i.test(word))
      orderError(source, `direction must be ASC or DESC, not '${direction.text}'`);
  }
  const kind = ident.prefix === '' ? 'attribute' : KINDS[ident.prefix!.toLowerCase()];
  if (!kind) orderError(source, `unknown entity '${ident.prefix}'`);
  return { kind, key: ident.value, descending, source };
}

/** One ORDER BY term ready for Kysely's `orderBy(expression, direction)`. */
export interface CompiledOrder {
  expression: Expression<unknown>;
  direction: 'asc' | 'desc';
}

/**
 * Compiles `order_by` entries into ORDER BY terms. Rows without a value sort last in either
 * direction on both dialects (SQLite and PostgreSQL disagree by default), so each entry yields
 * an `is null` term before the value itself.
 */
export function compileOrderBy(
  clauses: readonly OrderByClause[],
  fields: SearchFields,
): CompiledOrder[] {
  const orders: CompiledOrder[] = [];
  for (const clause of clauses) {
    const expression = orderExpression(clause, fields);
    orders.push({ expression: sql`(${expression} is null)`, direction: 'asc' });
    orders.push({ expression, direction: clause.descending ? 'desc' : 'asc' });
  }
  return orders;
}

function orderExpression(clause: OrderByClause, fields: SearchFields): Expression<unknown> {
  if (clause.kind === 'attribute') {
    const attribute = fields.attributes[clause.key];
    if (!attribute)
      orderError(
        clause.source,
        `${fields.entity} cannot be ordered by '${clause.key}'; use ${Object.keys(fields.attributes).join(', ')}`,
      );
    return sql.ref(attribute.column);
  }
  const field = clause.kind === 'dataset' ? undefined : fields[clause.kind];
  if (!field)
    return orderError(clause.source, `${fields.entity} cannot be ordered by ${clause.kind}s`);
  const notNan = field.nanColumn ? sql` and ${sql.ref(`k.${field.nanColumn}`)} = 0` : sql``;
  return sql`(select ${sql.ref(`k.${field.valueColumn}`)} from ${sql.table(field.table)} as k where ${sql.ref(
    `k.${field.ownerColumn}`,
  )} = ${sql.ref(fields.ownerColumn)} and ${sql.ref(`k.${field.keyColumn}`)} = ${clause.key}${notNan})`;
}
