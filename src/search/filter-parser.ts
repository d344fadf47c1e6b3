import { filterError, tokenizeFilter, type Token } from './filter-tokenizer.js';

/** What an identifier refers to: MLflow's entity prefixes, normalised. */
export type EntityKind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

export type FilterLiteral =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'list'; values: string[] }
  | { type: 'none' };

/** One `identifier operator value` clause. */
export interface FilterComparison {
  kind: EntityKind;
  key: string;
  operator: ComparisonOperator;
  value: FilterLiteral;
  /** The identifier as written, for error messages. */
  identifier: string;
}

/** A parsed filter: clauses joined by AND (MLflow supports nothing else). */
export interface FilterAst {
  source: string;
  clauses: FilterComparison[];
}

/** MLflow's prefixes and their synonyms (search_utils.py accepts all of these). */
export const PREFIXES: Readonly<Record<string, EntityKind>> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

class Parser {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.index];
    if (!token) filterError(this.source, `expected ${expected} but the filter ended`);
    this.index += 1;
    return token;
  }

  private unexpected(token: Token, expected: string): never {
    if (token.type === 'keyword' && token.value === 'OR')
      filterError(
        this.source,
        `'OR' at position ${token.position} is not supported; only AND`,
        'OR',
      );
    filterError(
      this.source,
      `unexpected token '${token.text}' at position ${token.position}; expected ${expected}`,
      token.text,
    );
  }

  parse(): FilterAst {
    const clauses: FilterComparison[] = [];
    if (this.tokens.length === 0) return { source: this.source, clauses };
    for (;;) {
      clauses.push(this.comparison());
      const token = this.peek();
      if (!token) break;
      if (token.type === 'keyword' && token.value === 'AND') {
        this.index += 1;
        continue;
      }
      this.unexpected(token, "'AND' or the end of the filter");
    }
    return { source: this.source, clauses };
  }

  private comparison(): FilterComparison {
    const ident = this.next('an identifier such as metrics.accuracy');
    if (ident.type !== 'identifier')
      this.unexpected(ident, 'an identifier such as metrics.accuracy');
    const kind = ident.prefix === '' ? 'attribute' : PREFIXES[ident.prefix!.toLowerCase()];
    if (!kind)
      filterError(
        this.source,
        `unknown entity '${ident.prefix}' in '${ident.text}'; use metrics., params., tags., attributes. or datasets.`,
        ident.text,
      );
    const operator = this.operator();
    const value = this.literal(operator);
    return { kind, key: ident.value, operator, value, identifier: ident.text };
  }

  private operator(): ComparisonOperator {
    const token = this.next('a comparison operator');
    if (token.type === 'operator') return token.value as ComparisonOperator;
    if (token.type === 'keyword') {
      switch (token.value) {
        case 'LIKE':
        case 'ILIKE':
        case 'IN':
          return token.value;
        case 'NOT': {
          const after = this.next("'IN' after 'NOT'");
          if (after.type === 'keyword' && after.value === 'IN') return 'NOT IN';
          return this.unexpected(after, "'IN' after 'NOT'");
        }
        case 'IS': {
          let after = this.next("'NULL' or 'NOT NULL' after 'IS'");
          const negated = after.type === 'keyword' && after.value === 'NOT';
          if (negated) after = this.next("'NULL' after 'IS NOT'");
          if (after.type === 'keyword' && after.value === 'NULL')
            return negated ? 'IS NOT NULL' : 'IS NULL';
          return this.unexpected(after, "'NULL'");
        }
      }
    }
    return this.unexpected(token, 'a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN)');
  }

  private literal(operator: ComparisonOperator): FilterLiteral {
    if (operator === 'IS NULL' || operator === 'IS NOT NULL') return { type: 'none' };
    if (operator === 'IN' || operator === 'NOT IN') return this.list();
    const token = this.next('a value');
    if (token.type === 'string') return { type: 'string', value: token.value };
    if (token.type === 'number') return { type: 'number', value: Number(token.value) };
    return this.unexpected(token, 'a quoted string or a number');
  }

  private list(): FilterLiteral {
    const open = this.next("'(' starting a list");
    if (open.type !== 'lparen') this.unexpected(open, "'(' starting a list");
    const values: string[] = [];
    for (;;) {
      const item = this.next('a quoted string in the list');
      if (item.type !== 'string') this.unexpected(item, 'a quoted string in the list');
      values.push(item.value);
      const sep = this.next("',' or ')'");
      if (sep.type === 'rparen') break;
      if (sep.type !== 'comma') this.unexpected(sep, "',' or ')'");
    }
    return { type: 'list', values };
  }
}

/**
 * Parses an MLflow search filter such as
 * `metrics.rmse < 0.5 AND params.model = 'gbdt' AND tags."data set" LIKE 'cal%'` into an AST.
 * An empty or blank filter has no clauses. A malformed filter is an InvalidArgumentError
 * naming the offending token.
 */
export function parseFilter(filter: string | undefined): FilterAst {
  const source = filter ?? '';
  return new Parser(source, tokenizeFilter(source)).parse();
}
